using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Findings;

/// <summary>A timeline point that saw requests, with its p95 in milliseconds: what the knee analysis compares.</summary>
internal sealed record TimelineSample(TimelinePoint Point, double P95)
{
    /// <summary>The points with requests and durations; only these decode their histogram.</summary>
    public static List<TimelineSample> WithLatency(IReadOnlyList<TimelinePoint> timeline)
    {
        var samples = new List<TimelineSample>();
        foreach (var point in timeline.Where(p => p.Requests > 0))
        {
            var duration = point.Duration();
            if (duration.TotalCount > 0)
            {
                samples.Add(new TimelineSample(point, duration.ValueAtPercentile(95) / MetricAggregate.TrendScale));
            }
        }
        return samples;
    }

    public static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    /// <summary>The value at share <paramref name="q"/> of the sorted values (nearest rank); 0 for none.</summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
