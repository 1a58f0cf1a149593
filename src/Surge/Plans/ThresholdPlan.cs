using Surge.Thresholds;

namespace Surge.Plans;

/// <summary>One threshold expression on one metric key, e.g. `http_req_duration{name:login}`: `p(95)&lt;500`.</summary>
public sealed record ThresholdPlan
{
    public required MetricKey Key { get; init; }

    public required ThresholdExpression Expression { get; init; }

    public bool AbortOnFail { get; init; }

    public TimeSpan DelayAbortEval { get; init; }

    public SourceLocation? Location { get; init; }
}
