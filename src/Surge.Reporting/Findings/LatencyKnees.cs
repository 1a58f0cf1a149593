using Surge.Results;

namespace Surge.Reporting.Findings;

/// <summary>
/// The point where the system saturated: from <see cref="At"/> on, throughput stopped growing while p95
/// latency rose well above its earlier level.
/// </summary>
internal sealed record LatencyKnee(TimeSpan At, double PlateauRequestsPerSecond, double BaselineP95, double PeakP95);

internal static class LatencyKnees
{
    /// <summary>p95 must exceed this multiple of its earlier level to count as a knee...</summary>
    public const double LatencyFactor = 2.0;

    /// <summary>...and rise by at least this many milliseconds, so that 0.2 ms becoming 0.5 ms is not one.</summary>
    public const double MinimumRiseMs = 5.0;

    /// <summary>Throughput counts as flat while no later slice is more than this share above the knee's.</summary>
    public const double PlateauTolerance = 0.15;

    /// <summary>Latency must stay up for this many slices from the knee on, so one slow slice is not one.</summary>
    private const int MinimumPlateauSlices = 3;

    /// <summary>The first knee of the timeline, or null for a run whose latency stayed level or rose with throughput.</summary>
    public static LatencyKnee? Find(IReadOnlyList<TimelinePoint> timeline)
    {
        var samples = TimelineSample.WithLatency(timeline);
        if (samples.Count < 2 * MinimumPlateauSlices)
        {
            return null;
        }
        // The first half of the run is the level latency rose from; a knee in it still stands out against it.
        var baseline = TimelineSample.Median(samples.Take(samples.Count / 2).Select(s => s.P95));
        bool Elevated(int i) => samples[i].P95 > baseline * LatencyFactor && samples[i].P95 - baseline >= MinimumRiseMs;
        // Only where latency breaks out (the slice before was still at its level) and stays out for the
        // following slices: a rise that began earlier, or one slow slice, is not where the system bent.
        for (var i = 1; i + MinimumPlateauSlices <= samples.Count; i++)
        {
            if (Elevated(i - 1) || !Enumerable.Range(i, MinimumPlateauSlices).All(Elevated))
            {
                continue;
            }
            var plateau = samples.Skip(i).ToList();
            if (plateau.Max(s => s.Point.RequestsPerSecond) <= samples[i].Point.RequestsPerSecond * (1 + PlateauTolerance))
            {
                return new LatencyKnee(
                    samples[i].Point.Start,
                    TimelineSample.Median(plateau.Select(s => s.Point.RequestsPerSecond)),
                    baseline,
                    plateau.Max(s => s.P95));
            }
        }
        return null;
    }
}
