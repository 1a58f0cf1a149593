namespace Surge.Reporting.Compare;

/// <summary>The statistics a comparison judges for every endpoint; `surge compare --tolerance` names them as in brackets.</summary>
public enum ComparedStat
{
    /// <summary>Requests per second over the run's duration (`rps`); a drop is worse.</summary>
    RequestsPerSecond,

    /// <summary>The median of http_req_duration in milliseconds (`p50`); a rise is worse.</summary>
    P50,

    /// <summary>The 95th percentile of http_req_duration in milliseconds (`p95`); a rise is worse.</summary>
    P95,

    /// <summary>The 99th percentile of http_req_duration in milliseconds (`p99`); a rise is worse.</summary>
    P99,

    /// <summary>The share of failed requests, http_req_failed's rate from 0 to 1 (`errors`); a rise is worse.</summary>
    ErrorRate,
}

/// <summary>
/// How far the new run may drift from the base before a change counts: relative for throughput (a drop) and
/// latency percentiles (a rise), absolute for the error rate (a share, so "+0.01" is one percentage point).
/// An infinite tolerance shows the stat without ever judging it.
/// </summary>
public sealed record CompareTolerances
{
    /// <summary>The drop in throughput allowed, relative to the base: 0.10 (10%) by default.</summary>
    public double RequestsPerSecond { get; init; } = 0.10;

    /// <summary>The rise of the median latency allowed, relative to the base: 0.10 (10%) by default.</summary>
    public double P50 { get; init; } = 0.10;

    /// <summary>The rise of the p95 latency allowed, relative to the base: 0.10 (10%) by default.</summary>
    public double P95 { get; init; } = 0.10;

    /// <summary>The rise of the p99 latency allowed, relative to the base: 0.10 (10%) by default.</summary>
    public double P99 { get; init; } = 0.10;

    /// <summary>The rise of the error rate allowed, in absolute terms: 0.01 (one percentage point) by default.</summary>
    public double ErrorRate { get; init; } = 0.01;

    /// <summary>
    /// Throughput and percentiles of an endpoint with fewer requests than this in either run are shown but not
    /// judged: thirty samples hardly pin down a p99.
    /// </summary>
    public long MinRequests { get; init; } = 30;

    /// <summary>
    /// A latency change smaller than this (in milliseconds) is never judged, however large relative to the base:
    /// 0.2 ms becoming 0.3 ms on loopback is +50% and noise.
    /// </summary>
    public double LatencyFloorMs { get; init; } = 1;

    /// <summary>The tolerance of one statistic.</summary>
    public double For(ComparedStat stat) => stat switch
    {
        ComparedStat.RequestsPerSecond => RequestsPerSecond,
        ComparedStat.P50 => P50,
        ComparedStat.P95 => P95,
        ComparedStat.P99 => P99,
        _ => ErrorRate,
    };

    /// <summary>The same relative tolerance for throughput and every percentile.</summary>
    public CompareTolerances WithRelative(double tolerance) =>
        this with { RequestsPerSecond = tolerance, P50 = tolerance, P95 = tolerance, P99 = tolerance };

    /// <summary>A copy with one statistic's tolerance replaced; <see cref="double.PositiveInfinity"/> shows it unjudged.</summary>
    public CompareTolerances With(ComparedStat stat, double tolerance) => stat switch
    {
        ComparedStat.RequestsPerSecond => this with { RequestsPerSecond = tolerance },
        ComparedStat.P50 => this with { P50 = tolerance },
        ComparedStat.P95 => this with { P95 = tolerance },
        ComparedStat.P99 => this with { P99 = tolerance },
        _ => this with { ErrorRate = tolerance },
    };
}

internal static class ComparedStats
{
    public static IReadOnlyList<ComparedStat> All { get; } =
        [ComparedStat.RequestsPerSecond, ComparedStat.P50, ComparedStat.P95, ComparedStat.P99, ComparedStat.ErrorRate];

    /// <summary>The short name the CLI, the tables and the JSON use: rps, p50, p95, p99, errors.</summary>
    public static string Name(ComparedStat stat) => stat switch
    {
        ComparedStat.RequestsPerSecond => "rps",
        ComparedStat.P50 => "p50",
        ComparedStat.P95 => "p95",
        ComparedStat.P99 => "p99",
        _ => "errors",
    };

    public static ComparedStat? Parse(string name) => All.Cast<ComparedStat?>().FirstOrDefault(s => Name(s!.Value) == name);

    public static bool IsLatency(ComparedStat stat) => stat is ComparedStat.P50 or ComparedStat.P95 or ComparedStat.P99;
}
