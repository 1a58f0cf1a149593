using Surge.Metrics;

namespace Surge.Results;

/// <summary>
/// One metric over one timeline slice, all its series together, in a form that merges exactly with its neighbour:
/// counts and sums add, extremes take the extreme. What a sample is depends on the kind: a recorded value for a
/// trend, an interval's total for a counter, an interval's last value for a gauge, one check for a rate (Sum counts
/// the passes). So <see cref="Mean"/> is the average trend value, the average per-interval total, the average gauge
/// reading, or a rate's share of passes; a rate's Min and Max are the lowest and highest share of one interval.
/// </summary>
/// <param name="Count">Samples in the slice, as the kind defines them above.</param>
/// <param name="Sum">Their sum in the display unit (milliseconds for time, bytes for data); a rate's passes.</param>
/// <param name="Min">The smallest sample (a rate's lowest interval share).</param>
/// <param name="Max">The largest sample (a rate's highest interval share).</param>
public readonly record struct SliceStats(long Count, double Sum, double Min, double Max)
{
    /// <summary><see cref="Sum"/> / <see cref="Count"/>, 0 when empty: see the type's summary for what it means per kind.</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>
    /// A trend's values in the slice, encoded with <see cref="Histogram.ToBase64"/> (fixed-point,
    /// <see cref="MetricAggregate.TrendScale"/> per display unit), when the recorder was asked to keep them: percentiles
    /// over time that stay exact when slices join or machines merge. Null otherwise.
    /// </summary>
    public string? EncodedHistogram { get; init; }

    /// <summary>The value at <paramref name="percentile"/> (0..100) in the display unit, or null without a histogram.</summary>
    public double? Percentile(double percentile) =>
        EncodedHistogram is { } encoded && Histogram.FromBase64(encoded) is { TotalCount: > 0 } histogram
            ? histogram.ValueAtPercentile(percentile) / MetricAggregate.TrendScale
            : null;

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
                return new SliceStats(interval.Samples, interval.Passes, share, share);
        }
    }

    /// <summary>This slice and a neighbouring one (or another machine's same slice) as one, exactly: counts, sums and histograms add.</summary>
    public SliceStats Merge(SliceStats other) =>
        new(Count + other.Count, Sum + other.Sum, Math.Min(Min, other.Min), Math.Max(Max, other.Max))
        {
            EncodedHistogram = (EncodedHistogram, other.EncodedHistogram) switch
            {
                (null, var only) => only,
                (var only, null) => only,
                var (a, b) => Join(a, b),
            },
        };

    private static string Join(string a, string b)
    {
        var joined = Histogram.FromBase64(a);
        joined.Add(Histogram.FromBase64(b));
        return joined.ToBase64();
    }
}
