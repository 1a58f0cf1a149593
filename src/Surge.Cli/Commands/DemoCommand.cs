using System.CommandLine;
using Surge.SampleApi;
using Surge.Yaml;

namespace Surge.Cli.Commands;

/// <summary>`surge demo`: starts the bundled sample API on a free loopback port and runs examples/demo.yaml against it.</summary>
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
            Console.Error.WriteLine($"sample API listening on {api.BaseAddress} ({api.Store} store)");
            var plan = YamlPlanLoader.Parse(ReadDemoPlan(), "examples/demo.yaml", new YamlLoadSettings(api.BaseAddress.ToString().TrimEnd('/')));
            var exitCode = await RunExecution.RunAsync(plan, output.Read(parse));
            Console.Out.WriteLine($"  server-side request count (GET /stats): {api.RequestCount}");
            return exitCode;
        });
        return command;
    }

    private static string ReadDemoPlan()
    {
        using var stream = typeof(DemoCommand).Assembly.GetManifestResourceStream("demo.yaml")
            ?? throw new InvalidOperationException("the demo plan is missing from the surge assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
