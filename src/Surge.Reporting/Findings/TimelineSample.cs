using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Findings;

/// <summary>One timeline point reduced to the numbers the analyses compare: throughput, failure shares and p95.</summary>
internal sealed record TimelineSample(TimelinePoint Point, double RequestsPerSecond, double? P95)
{
    public long TooManyRequests => Point.Statuses.GetValueOrDefault(429);

    public long ServiceUnavailable => Point.Statuses.GetValueOrDefault(503);

    /// <summary>The worse of the 429/503 share and the failed share; null when the slice saw no request.</summary>
    public double? ErrorShare => Point.Requests == 0
        ? null
        : Math.Max((double)(TooManyRequests + ServiceUnavailable) / Point.Requests, (double)Point.FailedRequests / Point.Requests);

    public static IReadOnlyList<TimelineSample> From(IReadOnlyList<TimelinePoint> timeline) =>
    [
        .. timeline.Select(p =>
        {
            var duration = p.Duration();
            double? p95 = duration.TotalCount == 0 ? null : duration.ValueAtPercentile(95) / MetricAggregate.TrendScale;
            return new TimelineSample(p, p.RequestsPerSecond, p95);
        }),
    ];

    public static double Median(IEnumerable<double> values) => Quantile(values, 0.5);

    /// <summary>The value at share <paramref name="q"/> of the sorted values (nearest rank); 0 for none.</summary>
    public static double Quantile(IEnumerable<double> values, double q)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
