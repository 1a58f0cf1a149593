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
    Default,
    Time,
    Data,
}

public sealed record MetricDefinition(string Name, MetricKind Kind, MetricContains Contains = MetricContains.Default, string Description = "");
