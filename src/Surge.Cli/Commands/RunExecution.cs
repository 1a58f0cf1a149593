using Surge.Cli.Dashboard;
using Surge.Cli.Progress;
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

    public string? CsvPrefix { get; init; }

    public string? JUnitFile { get; init; }

    public string? Report { get; init; }

    public string? Findings { get; init; }

    /// <summary>`--dashboard`: where the live dashboard listens, or null for none.</summary>
    public DashboardAddress? Dashboard { get; init; }
}

public static class RunExecution
{
    public static async Task<int> RunAsync(TestPlan plan, OutputOptions output)
    {
        using var signals = new StopSignals();
        PersonaHeader.Write(plan, Console.Error, output.Quiet);
        var interactive = !Console.IsErrorRedirected && !output.Quiet;
        ILiveSink[] progress = output.Quiet
            ? []
            : [interactive ? new InteractiveProgress(Console.Error) : new PlainProgress(Console.Error, TimeSpan.FromSeconds(5))];
        var ndjson = output.LiveOutputs.Where(o => o.Kind == LiveOutput.Json).Select(OpenNdjson).ToList();
        using var closeOutputs = new DisposeAll(ndjson);
        await using var dashboard = output.Dashboard is { } address
            ? await LiveDashboard.StartAsync(address, () => signals.StopGracefully("stop button on the dashboard"))
            : null;
        if (dashboard is not null)
        {
            Console.Error.WriteLine($"dashboard: {dashboard.Address}");
        }
        ILiveSink[] sinks = [.. progress, .. ndjson, .. dashboard is null ? Array.Empty<ILiveSink>() : [dashboard.Sink]];
        var settings = new RunSettings { Sinks = sinks, HardStop = signals.Hard, Log = Console.Error, Control = dashboard?.Control };
        var summary = await TestRun.RunAsync(plan, settings, signals.Graceful);
        if (output.Report is null && dashboard is not null)
        {
            output = output with { Report = LiveDashboard.DefaultReport };
            Console.Error.WriteLine($"dashboard: writing the HTML report to {Path.GetFullPath(output.Report)} (choose the file with --report)");
        }
        WriteOutputs(summary, output);
        return ExitCodeFor(summary);
    }

    /// <summary>Every output asked for, from a finished run: `surge run` after the load, `surge report` from a saved result.</summary>
    public static void WriteOutputs(RunSummary summary, OutputOptions output)
    {
        var color = !output.NoColor && !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        Console.Out.Write(ConsoleSummary.Render(summary, new ConsoleSummaryOptions(Color: color)));
        WriteFile(output.SummaryExport, stream => SummaryExport.Write(summary, stream));
        WriteFile(output.ResultFile, stream => ResultFile.Write(summary, stream));
        WriteFile(output.JUnitFile, stream => JUnitReport.Write(summary, stream));
        if (output.CsvPrefix is not null)
        {
            LocustCsv.Write(summary, output.CsvPrefix);
        }
        WriteFile(output.Report, stream => HtmlReport.Write(summary, stream));
        WriteFile(output.Findings, stream => FindingsMarkdown.Write(RunFindings.From(summary), stream));
    }

    public static int ExitCodeFor(RunSummary summary) => summary.Outcome switch
    {
        RunOutcome.Interrupted => ExitCodes.StoppedBySignal,
        RunOutcome.SetupFailed => ExitCodes.ScriptError,
        _ when !summary.ThresholdsPassed => ExitCodes.ThresholdsFailed,
        _ => ExitCodes.Success,
    };

    /// <summary>Writes the file when the option was given, creating its directory first; nothing when it was not.</summary>
    public static void WriteFile(string? path, Action<Stream> write)
    {
        if (path is null)
        {
            return;
        }
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        using var stream = File.Create(path);
        write(stream);
    }

    private static NdjsonOutput OpenNdjson(LiveOutput output)
    {
        try
        {
            return NdjsonOutput.Create(output.Target);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"--out {output.Kind}={output.Target}: cannot write there: {exception.Message}");
        }
    }

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
