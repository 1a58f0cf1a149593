using System.Globalization;
using Surge.Results;

namespace Surge.Cli.Progress;

/// <summary>In CI logs: a few plain lines every <paramref name="every"/>, nothing that needs a terminal.</summary>
public sealed class PlainProgress(TextWriter output, TimeSpan every) : ILiveSink
{
    private TimeSpan? _lastPrinted;

    public void OnSnapshot(LiveSnapshot snapshot)
    {
        if (_lastPrinted is { } last && snapshot.Metrics.Elapsed - last < every)
        {
            return;
        }
        _lastPrinted = snapshot.Metrics.Elapsed;
        var elapsed = snapshot.Metrics.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        output.WriteLine($"running ({elapsed}s): {ProgressLine.Totals(snapshot)}");
        var width = snapshot.Scenarios.Max(s => s.Name.Length);
        foreach (var scenario in snapshot.Scenarios)
        {
            output.WriteLine("  " + ProgressLine.Scenario(scenario, width, withBar: false));
        }
        output.Flush();
    }

    public void OnCompleted(RunSummary summary)
    {
    }
}
