using Surge.Thresholds;

namespace Surge.Plans;

/// <summary>One threshold expression on one metric key, e.g. `http_req_duration{name:login}`: `p(95)&lt;500`.</summary>
public sealed record ThresholdPlan
{
    public required MetricKey Key { get; init; }

    public required ThresholdExpression Expression { get; init; }

    public bool AbortOnFail { get; init; }

    public TimeSpan DelayAbortEval { get; init; }

    /// <summary>
    /// Lets the threshold pass when its statistic has no samples (no request matched, no check ran). Off by default:
    /// a threshold judged on nothing fails with "no data", so a hanging target cannot pass CI.
    /// </summary>
    public bool AllowNoData { get; init; }

    public SourceLocation? Location { get; init; }
}
