using System.Globalization;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Cli.Progress;

/// <summary>The words shown for progress, shared by the interactive and the plain renderer.</summary>
public static class ProgressLine
{
    public static string Totals(LiveSnapshot snapshot)
    {
        var metrics = snapshot.Metrics;
        var interval = metrics.IntervalLength.TotalSeconds;
        var requests = metrics.Aggregate(BuiltinMetrics.HttpReqs, TagSet.Empty);
        var recent = metrics.Aggregate(BuiltinMetrics.HttpReqs, TagSet.Empty, intervalOnly: true);
        var duration = metrics.Aggregate(BuiltinMetrics.HttpReqDuration, TagSet.Empty, intervalOnly: true);
        var failed = metrics.Aggregate(BuiltinMetrics.HttpReqFailed, TagSet.Empty);
        var rps = interval > 0 ? recent.Sum / interval : 0;
        return string.Create(CultureInfo.InvariantCulture,
            $"{requests.Sum:0} reqs, {rps:0.0}/s, p95 {duration.Stat("p(95)", TimeSpan.Zero) ?? 0:0.00}ms, failed {(failed.Stat("rate", TimeSpan.Zero) ?? 0) * 100:0.00}%{Generator(metrics)}");
    }

    /// <summary>
    /// The generator's own load in the last interval, e.g. " | generator cpu 45%, lag 0.3ms", with a warning word
    /// when it is saturated; empty when the run does not watch itself.
    /// </summary>
    public static string Generator(MetricsSnapshot metrics)
    {
        var cpu = metrics.Aggregate(BuiltinMetrics.GeneratorCpu, TagSet.Empty, intervalOnly: true);
        if (cpu.IsEmpty)
        {
            return "";
        }
        var share = cpu.Stat("avg", TimeSpan.Zero) ?? 0;
        var lag = metrics.Aggregate(BuiltinMetrics.SchedulerLag, TagSet.Empty, intervalOnly: true).Stat("avg", TimeSpan.Zero);
        var machine = metrics.Aggregate(BuiltinMetrics.MachineCpu, TagSet.Empty, intervalOnly: true);
        var machineText = machine.IsEmpty ? "" : string.Create(CultureInfo.InvariantCulture, $" (machine {machine.Stat("avg", TimeSpan.Zero) * 100:0}%)");
        var saturated = share >= Health.GeneratorSaturation.SaturatedCpu || lag > Health.GeneratorSaturation.MaxSchedulerLag.TotalMilliseconds;
        return string.Create(CultureInfo.InvariantCulture,
            $" | generator cpu {share * 100:0}%{machineText}, lag {lag ?? 0:0.0}ms{(saturated ? " SATURATED" : "")}");
    }

    public static string Scenario(ScenarioProgress s, int nameWidth, bool withBar)
    {
        var fraction = s.Duration > TimeSpan.Zero ? Math.Clamp(s.Elapsed / s.Duration, 0, 1) : 0;
        if (s.State == Engine.ScenarioState.Done)
        {
            fraction = 1;
        }
        var bar = withBar ? Bar(fraction, 24) + " " : "";
        var dropped = s.DroppedIterations > 0 ? $", {s.DroppedIterations} dropped" : "";
        var interrupted = s.InterruptedIterations > 0 ? $", {s.InterruptedIterations} interrupted" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"{s.Name.PadRight(nameWidth)} {bar}{State(s.State),-8} {s.ActiveVus,4}/{s.PeakVus} VUs  {Seconds(s.Elapsed)}/{(s.Duration > TimeSpan.Zero ? Seconds(s.Duration) : "∞")}  {s.CompletedIterations} iterations{interrupted}{dropped}");
    }

    private static string Bar(double fraction, int width)
    {
        var filled = (int)Math.Round(fraction * width);
        return "[" + new string('=', filled) + (filled < width ? ">" + new string(' ', width - filled - 1) : "") + "]";
    }

    /// <summary>A scenario's state in one word: waiting, running, stopping or done.</summary>
    public static string State(Engine.ScenarioState state) => state switch
    {
        Engine.ScenarioState.Waiting => "waiting",
        Engine.ScenarioState.Running => "running",
        Engine.ScenarioState.Draining => "stopping",
        _ => "done",
    };

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + "s";
}
