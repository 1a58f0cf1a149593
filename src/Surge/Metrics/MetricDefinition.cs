namespace Surge.Metrics;

/// <summary>k6's four metric types. Each says how it combines over time and across machines.</summary>
public enum MetricKind
{
    /// <summary>A sum; merges by adding.</summary>
    Counter,

    /// <summary>The latest value, with its min and max; merges by taking the latest and the extremes.</summary>
    Gauge,

    /// <summary>The share of non-zero samples; merges by adding passes and totals.</summary>
    Rate,

    /// <summary>A distribution in an HDR histogram; merges by adding histograms.</summary>
    Trend,
}

/// <summary>What a metric's values are, for display: milliseconds, bytes, or plain numbers.</summary>
public enum MetricContains
{
    /// <summary>Plain numbers (counts, shares); k6's default.</summary>
    Default,

    /// <summary>Milliseconds, shown as durations (k6's <c>isTime</c>; YAML's <c>trend-time</c>).</summary>
    Time,

    /// <summary>Bytes, shown as kB, MB... (data_sent, data_received).</summary>
    Data,
}

/// <summary>A metric: its name (k6's where k6 has one), its kind, which says how it combines, and its unit.</summary>
/// <param name="Name">What thresholds, outputs and reports call it, e.g. <c>http_req_duration</c> or a test's <c>checkout_time</c>.</param>
/// <param name="Kind">Counter, gauge, rate or trend: what is kept and how it merges over time and across machines.</param>
/// <param name="Contains">The unit of its values, for display.</param>
/// <param name="Description">One line for reports and the dashboard; empty for a test's own metrics.</param>
public sealed record MetricDefinition(string Name, MetricKind Kind, MetricContains Contains = MetricContains.Default, string Description = "");
