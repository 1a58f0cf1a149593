using Surge.Metrics;

namespace Surge.Results;

/// <summary>
/// One metric over one timeline slice, all its series together, in a form that merges exactly with its neighbour:
/// counts and sums add, extremes take the extreme. What a sample is depends on the kind: a recorded value for a
/// trend, an interval's total for a counter, an interval's last value for a gauge, an interval's share for a rate.
/// So <see cref="Mean"/> is the average trend value, the average per-interval total, or the average gauge reading.
/// </summary>
public readonly record struct SliceStats(long Count, double Sum, double Min, double Max)
{
    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>One interval's aggregate of a metric, in the metric's display unit (milliseconds for time).</summary>
    public static SliceStats? From(MetricAggregate interval)
    {
        if (interval.IsEmpty)
        {
            return null;
        }
        switch (interval.Kind)
        {
            case MetricKind.Trend:
                var h = interval.Histogram!;
                return new SliceStats(h.TotalCount, h.Sum / MetricAggregate.TrendScale, h.Min / MetricAggregate.TrendScale, h.Max / MetricAggregate.TrendScale);
            case MetricKind.Counter:
                return new SliceStats(1, interval.Sum, interval.Sum, interval.Sum);
            case MetricKind.Gauge:
                return new SliceStats(1, interval.Last, interval.GaugeMin, interval.GaugeMax);
            default:
                var share = (double)interval.Passes / interval.Samples;
                return new SliceStats(1, share, share, share);
        }
    }

    public SliceStats Merge(SliceStats other) =>
        new(Count + other.Count, Sum + other.Sum, Math.Min(Min, other.Min), Math.Max(Max, other.Max));
}
