using System.CommandLine;
using Surge.SampleApi;
using Surge.Yaml;

namespace Surge.Cli.Commands;

/// <summary>
/// `surge demo`: starts the bundled sample API on a free loopback port and runs examples/demo.yaml against it.
/// `surge demo integrity`: runs examples/integrity.yaml twice, on the naive json-file store and on the SQLite one, and
/// shows what the verify stage found on each.
/// </summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var output = new OutputOptionSet();
        var command = new Command("demo", "Run the demo test against the bundled sample API (about 20 seconds)");
        output.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var api = await SampleApiHost.StartAsync(new SampleApiOptions(), cancellationToken);
            Console.Error.WriteLine($"sample API listening on {api.BaseAddress} ({api.StoreName} store)");
            var plan = YamlPlanLoader.Parse(ReadPlan("demo.yaml"), "examples/demo.yaml", new YamlLoadSettings(api.BaseAddress.ToString().TrimEnd('/')));
            var exitCode = await RunExecution.RunAsync(plan, output.Read(parse));
            Console.Out.WriteLine($"  server-side request count (GET /stats): {api.RequestCount}");
            return exitCode;
        });
        command.Subcommands.Add(Integrity());
        return command;
    }

    // Exit 0 when the verify stage caught the json-file store and passed the SQLite one: the demo showed what it should.
    private static Command Integrity()
    {
        var command = new Command("integrity", "Write-heavy load on the naive json-file store, then on the SQLite store, each verified against the server");
        var noColorOption = new Option<bool>("--no-color") { Description = "No ANSI colors in the summaries" };
        command.Options.Add(noColorOption);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var noColor = parse.GetValue(noColorOption);
            var caught = await RunOnStoreAsync(StoreKind.JsonFile, noColor, cancellationToken) != 0;
            var clean = await RunOnStoreAsync(StoreKind.Sqlite, noColor, cancellationToken) == 0;
            Console.Out.WriteLine();
            Console.Out.WriteLine(caught ? "json-file store: corruption found (lost or duplicated writes), as expected" : "json-file store: no corruption found this time");
            Console.Out.WriteLine(clean ? "sqlite store: every acknowledged write is on the server exactly once" : "sqlite store: verification FAILED");
            return caught && clean ? ExitCodes.Success : ExitCodes.ThresholdsFailed;
        });
        return command;
    }

    private static async Task<int> RunOnStoreAsync(StoreKind store, bool noColor, CancellationToken cancellationToken)
    {
        // Without a data directory the host keeps its files in a fresh temporary one and deletes it on dispose.
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions { Store = store }, cancellationToken);
        Console.Out.WriteLine($"== {api.StoreName} store at {api.BaseAddress}");
        var plan = YamlPlanLoader.Parse(ReadPlan("integrity.yaml"), "examples/integrity.yaml", new YamlLoadSettings(api.BaseAddress.ToString().TrimEnd('/')));
        return await RunExecution.RunAsync(plan, new OutputOptions(SummaryExport: null, ResultFile: null, Quiet: true, NoColor: noColor));
    }

    private static string ReadPlan(string name)
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the plan {name} is missing from the surge assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
