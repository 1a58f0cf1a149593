using Surge.Metrics;

namespace Surge.Plans;

/// <summary>
/// Adds a sample to a custom metric from a request's response, e.g. `invoice_creation_success` (a rate: did the
/// status say created?) or `payment_processing_time` (a trend of the request's duration). Exactly one source is set.
/// </summary>
/// <param name="Metric">The custom metric the sample goes to; its kind decides how the value is added.</param>
public sealed record RecordPlan(MetricDefinition Metric)
{
    /// <summary>Rate: the sample passes when the status is one of these. Counter: a response with one of these counts 1.</summary>
    public StatusRanges? PassWhenStatus { get; init; }

    /// <summary>Trend: the request's http_req_duration.</summary>
    public bool Duration { get; init; }

    /// <summary>A number read from the JSON body.</summary>
    public string? JsonPath { get; init; }

    /// <summary>A fixed value, e.g. 1 for a counter of successful checkouts.</summary>
    public double? Value { get; init; }

    /// <summary>Where the record was written, for errors about it; null when unknown.</summary>
    public SourceLocation? Location { get; init; }
}
