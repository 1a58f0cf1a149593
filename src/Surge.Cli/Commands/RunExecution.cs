using Surge.Cli.Dashboard;
using Surge.Cli.Progress;
using Surge.Outputs;
using Surge.Plans;
using Surge.Reporting;
using Surge.Reporting.Findings;
using Surge.Reporting.Html;
using Surge.Results;

namespace Surge.Cli.Commands;

/// <summary>What every command that runs load shares: progress, signals, the summary, the export files, the exit code.</summary>
public sealed record OutputOptions(string? SummaryExport, string? ResultFile, bool Quiet, bool NoColor)
{
    public IReadOnlyList<LiveOutput> LiveOutputs { get; init; } = [];

    /// <summary>`--tag NAME=VALUE`: added to the plan's tags, so to every sample and every output.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = [];

    public string? CsvPrefix { get; init; }

    public string? JUnitFile { get; init; }

    public string? Report { get; init; }

    public string? Findings { get; init; }

    /// <summary>`--http-debug`: "headers" or "full", or null for none.</summary>
    public string? HttpDebug { get; init; }

    /// <summary>`--dashboard`: where the live dashboard listens, or null for none.</summary>
    public DashboardAddress? Dashboard { get; init; }

    /// <summary>The identity of the whole plan, taken before an execution segment scaled it; null for the plan run's.</summary>
    public PlanIdentity? PlanIdentity { get; init; }
}

public static class RunExecution
{
    /// <param name="start">How a distributed run's instance starts (`--paused`, `--address`, `--start-at`); null starts at once.</param>
    public static async Task<int> RunAsync(TestPlan plan, OutputOptions output, RunStart? start = null)
    {
        var defaultReport = output.Report is null && output.Dashboard is not null;
        if (defaultReport)
        {
            output = output with { Report = LiveDashboard.DefaultReport };
        }
        RunSummary? summary = null;
        var files = Files(output, () => summary!);
        OutputFiles.Check(files);
        using var signals = new StopSignals();
        if (!output.Quiet)
        {
            Console.Error.WriteLine(string.Join('\n', ConsoleSummary.ScenarioLines([.. plan.Scenarios.Select(s => s.Describe())])));
        }
        PersonaHeader.Write(plan, Console.Error, output.Quiet);
        var interactive = !Console.IsErrorRedirected && !output.Quiet;
        ILiveSink[] progress = output.Quiet
            ? []
            : [interactive ? new InteractiveProgress(Console.Error) : new PlainProgress(Console.Error, TimeSpan.FromSeconds(5))];
        plan = plan with { Tags = new Dictionary<string, string>([.. plan.Tags, .. output.Tags]) };
        var environment = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "", StringComparer.Ordinal);
        var liveOutputs = output.LiveOutputs.Select(o => OutputCatalog.Create(o.ToString(), environment)).ToList();
        using var closeOutputs = new DisposeAll(liveOutputs.OfType<IDisposable>());
        foreach (var endpoint in liveOutputs.OfType<PrometheusEndpointOutput>())
        {
            Console.Error.WriteLine($"prometheus: scrape {endpoint.Url}");
        }
        await using var dashboard = output.Dashboard is { } address
            ? await LiveDashboard.StartAsync(address, () => signals.StopGracefully("stop button on the dashboard", "from the dashboard"))
            : null;
        if (dashboard is not null)
        {
            Console.Error.WriteLine($"dashboard: {dashboard.Address}");
        }
        await using var api = await Control.ControlApi.OpenAsync(start, () => signals.StopGracefully("stopped through the REST API", "through the REST API"), Console.Error);
        ILiveSink[] sinks = [.. progress, .. dashboard is null ? Array.Empty<ILiveSink>() : [dashboard.Sink], .. api is null ? Array.Empty<ILiveSink>() : [api]];
        var settings = new RunSettings { Sinks = sinks, Outputs = liveOutputs, HardStop = signals.Hard, Log = Console.Error, Control = dashboard?.Control,
            HttpDebug = output.HttpDebug is { } debug ? new Http.HttpDebug(Console.Error, bodies: debug == "full") : null,
            StartGate = start?.Gate(api, Console.Error),
        };
        summary = await TestRun.RunAsync(plan, settings, signals.Graceful);
        summary = summary with { Plan = output.PlanIdentity ?? PlanIdentities.Of(plan) };
        if (summary.Outcome == RunOutcome.Interrupted)
        {
            summary = summary with { StoppedBy = signals.StoppedBy };
        }
        if (defaultReport)
        {
            Console.Error.WriteLine($"dashboard: writing the HTML report to {Path.GetFullPath(output.Report!)} (choose the file with --report)");
        }
        return Finish(summary, output, files);
    }

    /// <summary>
    /// The console summary and every file. One that cannot be written costs only itself and is named last; the exit
    /// code still gives the run's verdict, and says "outputs incomplete" only where it would have said success.
    /// </summary>
    public static int Finish(RunSummary summary, OutputOptions output, IReadOnlyList<OutputFile> files)
    {
        var failures = new List<string>();
        var color = !output.NoColor && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        try
        {
            Console.Out.Write(ConsoleSummary.Render(summary, new ConsoleSummaryOptions(Color: color)));
            Console.Out.Flush();
        }
        catch (IOException exception)
        {
            failures.Add($"the summary on standard output was not written: {exception.Message}");
        }
        failures.AddRange(OutputFiles.Write(files));
        foreach (var failure in failures)
        {
            Console.Error.WriteLine($"error: {failure}");
        }
        var exitCode = ExitCodeFor(summary);
        return failures.Count > 0 && exitCode == ExitCodes.Success ? ExitCodes.OutputsIncomplete : exitCode;
    }

    /// <summary>Every file the options ask for, in the order they are written; each reads the summary only then.</summary>
    public static List<OutputFile> Files(OutputOptions output, Func<RunSummary> summary)
    {
        var files = new List<OutputFile>();
        void Add(string option, string? path, Action<Stream> write)
        {
            if (path is not null)
            {
                files.Add(new OutputFile(option, path, write));
            }
        }
        Add("--summary-export", output.SummaryExport, stream => SummaryExport.Write(summary(), stream));
        Add("--result", output.ResultFile, stream => ResultFile.Write(summary(), stream));
        Add("--junit", output.JUnitFile, stream => JUnitReport.Write(summary(), stream));
        if (output.CsvPrefix is { } prefix)
        {
            files.Add(OutputFile.Text("--csv", prefix + "_stats.csv", writer => LocustCsv.WriteStats(summary(), writer)));
            files.Add(OutputFile.Text("--csv", prefix + "_stats_history.csv", writer => LocustCsv.WriteHistory(summary(), writer)));
            files.Add(OutputFile.Text("--csv", prefix + "_failures.csv", writer => LocustCsv.WriteFailures(summary(), writer)));
        }
        Add("--report", output.Report, stream => HtmlReport.Write(summary(), stream));
        Add("--findings", output.Findings, stream => FindingsMarkdown.Write(summary(), stream));
        return files;
    }

    public static int ExitCodeFor(RunSummary summary) => summary.Outcome switch
    {
        RunOutcome.Interrupted => ExitCodes.StoppedBySignal,
        RunOutcome.SetupFailed => ExitCodes.ScriptError,
        _ when !summary.ThresholdsPassed => ExitCodes.ThresholdsFailed,
        _ => ExitCodes.Success,
    };

    private sealed class DisposeAll(IEnumerable<IDisposable> items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items)
            {
                item.Dispose();
            }
        }
    }
}
