using Surge.Thresholds;

namespace Surge.Plans;

/// <summary>One threshold expression on one metric key, e.g. `http_req_duration{name:login}`: `p(95)&lt;500`.</summary>
public sealed record ThresholdPlan
{
    /// <summary>The metric judged, and the tag filter that picks its series (all of them when empty).</summary>
    public required MetricKey Key { get; init; }

    /// <summary>The statistic, comparison and bound, e.g. p(95)&lt;500 (trends of time in milliseconds).</summary>
    public required ThresholdExpression Expression { get; init; }

    /// <summary>
    /// k6's abortOnFail: stop the run as soon as the threshold fails on the running totals of an interval, rather than
    /// only failing it at the end; a threshold with no data yet never aborts. Off by default.
    /// </summary>
    public bool AbortOnFail { get; init; }

    /// <summary>k6's delayAbortEval: how long into the run <see cref="AbortOnFail"/> waits before it may act; zero by default.</summary>
    public TimeSpan DelayAbortEval { get; init; }

    /// <summary>
    /// Lets the threshold pass when its statistic has no samples (no request matched, no check ran). Off by default:
    /// a threshold judged on nothing fails with "no data", so a hanging target cannot pass CI.
    /// </summary>
    public bool AllowNoData { get; init; }

    /// <summary>Where the threshold was written, for errors and warnings about it; null when unknown.</summary>
    public SourceLocation? Location { get; init; }
}
