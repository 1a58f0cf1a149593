using System.Globalization;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Health;

/// <summary>A stretch of the run in which the generator, not the server, set the pace.</summary>
/// <param name="Start">When the first saturated slice began, as time since the run's start.</param>
/// <param name="End">When the last saturated slice ended, as time since the run's start.</param>
/// <param name="PeakCpu">The highest per-slice average of surge_generator_cpu in the span (0..1), or null without data.</param>
/// <param name="PeakLag">The highest per-slice average of surge_scheduler_lag in the span, in ms, or null without data.</param>
public sealed record SaturationSpan(TimeSpan Start, TimeSpan End, double? PeakCpu, double? PeakLag)
{
    /// <summary>How long the generator stayed saturated: <see cref="End"/> - <see cref="Start"/>.</summary>
    public TimeSpan Length => End - Start;
}

/// <summary>
/// When the generator was saturated, read from the timeline: a slice is saturated when Surge's CPU averaged
/// <see cref="SaturatedCpu"/> or more of the cores it may use, or its 1 ms timer probe averaged more than
/// <see cref="MaxSchedulerLag"/> late. Adjacent saturated slices join; a stretch counts once it lasts
/// <see cref="MinSpan"/>, so a GC pause or the JIT's first second does not.
/// </summary>
public static class GeneratorSaturation
{
    /// <summary>A slice is saturated from this share of the cores Surge may use (surge_generator_cpu averaged 90% or more).</summary>
    public const double SaturatedCpu = 0.9;

    /// <summary>A slice is saturated when the 1 ms timer probes (surge_scheduler_lag) averaged more than this late: 10 ms.</summary>
    public static readonly TimeSpan MaxSchedulerLag = TimeSpan.FromMilliseconds(10);

    /// <summary>The shortest stretch of saturated slices reported (3 s, less 100 ms for the collector's own timing jitter).</summary>
    public static readonly TimeSpan MinSpan = TimeSpan.FromSeconds(3);

    /// <summary>Three one-second slices are 3 s give or take the collector's own timing; this much short still counts.</summary>
    private static readonly TimeSpan Allowance = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// True when the slice's surge_generator_cpu averaged at least <see cref="SaturatedCpu"/> or its surge_scheduler_lag
    /// averaged more than <see cref="MaxSchedulerLag"/>; false when neither was recorded (the sampler was off).
    /// </summary>
    public static bool IsSaturated(TimelinePoint point) =>
        point.Find(BuiltinMetrics.GeneratorCpu.Name)?.Mean >= SaturatedCpu
        || point.Find(BuiltinMetrics.SchedulerLag.Name)?.Mean > MaxSchedulerLag.TotalMilliseconds;

    /// <summary>The saturated stretches of at least <see cref="MinSpan"/>, oldest first.</summary>
    public static IReadOnlyList<SaturationSpan> Spans(IReadOnlyList<TimelinePoint> timeline)
    {
        var spans = new List<SaturationSpan>();
        SaturationSpan? open = null;
        foreach (var point in timeline)
        {
            if (!IsSaturated(point))
            {
                Close();
                continue;
            }
            var cpu = point.Find(BuiltinMetrics.GeneratorCpu.Name)?.Mean;
            var lag = point.Find(BuiltinMetrics.SchedulerLag.Name)?.Mean;
            open = open is null
                ? new SaturationSpan(point.Start, point.Start + point.Length, cpu, lag)
                : open with { End = point.Start + point.Length, PeakCpu = Max(open.PeakCpu, cpu), PeakLag = Max(open.PeakLag, lag) };
        }
        Close();
        return spans;

        void Close()
        {
            if (open is not null && open.Length >= MinSpan - Allowance)
            {
                spans.Add(open);
            }
            open = null;
        }
    }

    /// <summary>
    /// The plain sentence for the summary and the findings, e.g. "the generator was the bottleneck from 0:12 to 0:40:
    /// figures after 0:12 describe Surge, not the server (CPU at 98% of what it may use, its 1 ms timer 35 ms late)";
    /// null when it never was.
    /// </summary>
    public static string? Describe(IReadOnlyList<SaturationSpan> spans)
    {
        if (spans.Count == 0)
        {
            return null;
        }
        var when = string.Join(" and ", spans.Select(s => $"from {RunTime.Format(s.Start)} to {RunTime.Format(s.End)}"));
        var cpu = spans.Max(s => s.PeakCpu);
        var lag = spans.Max(s => s.PeakLag);
        var why = new List<string>();
        if (cpu >= SaturatedCpu)
        {
            why.Add($"CPU at {Math.Round(cpu.Value * 100).ToString(CultureInfo.InvariantCulture)}% of what it may use");
        }
        if (lag > MaxSchedulerLag.TotalMilliseconds)
        {
            why.Add($"its 1 ms timer {Math.Round(lag.Value).ToString(CultureInfo.InvariantCulture)} ms late");
        }
        return $"the generator was the bottleneck {when}: figures after {RunTime.Format(spans[0].Start)} describe Surge, not the server ({string.Join(", ", why)})";
    }


    private static double? Max(double? a, double? b) => a is null ? b : b is null ? a : Math.Max(a.Value, b.Value);
}
