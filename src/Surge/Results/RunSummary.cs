using Surge.Metrics;
using Surge.Thresholds;

namespace Surge.Results;

public enum RunOutcome
{
    Completed,

    /// <summary>A threshold with abortOnFail failed during the run.</summary>
    AbortedByThreshold,

    /// <summary>The user pressed Ctrl-C (or the process got SIGTERM); what was measured is still reported.</summary>
    Interrupted,

    /// <summary>Setup failed, so no scenario ran (k6 aborts the same way).</summary>
    SetupFailed,
}

/// <summary>Everything a run measured, as one immutable object. Every exporter reads this and nothing else.</summary>
public sealed record RunSummary
{
    public required DateTimeOffset StartedAt { get; init; }

    public required TimeSpan Duration { get; init; }

    public required IReadOnlyList<MetricSummary> Metrics { get; init; }

    public required IReadOnlyList<ThresholdResult> Thresholds { get; init; }

    public required IReadOnlyList<ScenarioSummary> Scenarios { get; init; }

    public IReadOnlyList<string> SummaryTrendStats { get; init; } = Plans.TestPlan.DefaultSummaryTrendStats;

    /// <summary>The run over time, oldest first; bounded in length however long the run.</summary>
    public IReadOnlyList<TimelinePoint> Timeline { get; init; } = [];

    /// <summary>What each verify stage found, in plan order.</summary>
    public IReadOnlyList<IntegrityResult> Verifications { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    public RunOutcome Outcome { get; init; } = RunOutcome.Completed;

    /// <summary>Who stopped an interrupted run, as "stopped ..." reads it ("from the dashboard"); null for a signal.</summary>
    public string? StoppedBy { get; init; }

    public bool ThresholdsPassed => Thresholds.All(t => t.Passed);

    public MetricSummary? Find(string metric) => Metrics.FirstOrDefault(m => m.Definition.Name == metric);

    /// <summary>The merged values of every series of the key's metric whose tags match its filter.</summary>
    public MetricAggregate? Aggregate(MetricKey key)
    {
        var metric = Find(key.Metric);
        if (metric is null)
        {
            return null;
        }
        if (key.Filter.Count == 0)
        {
            return metric.Total;
        }
        var merged = new MetricAggregate(metric.Definition.Kind);
        foreach (var series in metric.Series)
        {
            if (series.Tags.Matches(key.Filter))
            {
                merged.Merge(series.Values);
            }
        }
        return merged;
    }
}

/// <summary>One metric: its total over all tags, and each tagged series on its own.</summary>
public sealed record MetricSummary(MetricDefinition Definition, MetricAggregate Total, IReadOnlyList<MetricSeries> Series);

public sealed record MetricSeries(TagSet Tags, MetricAggregate Values);

public sealed record ThresholdResult(MetricKey Key, ThresholdExpression Expression, double? Observed, bool Passed, bool AbortOnFail);

public sealed record ScenarioSummary
{
    public required string Name { get; init; }

    public required string Executor { get; init; }

    /// <summary>A k6-style one-liner, e.g. "10 looping VUs for 30s (gracefulStop: 30s)".</summary>
    public required string Description { get; init; }

    public int MaxVus { get; init; }

    /// <summary>How long after the run's start it may still run: startTime + the executor's longest + gracefulStop (k6's max duration).</summary>
    public TimeSpan MaxDuration { get; init; }

    public long CompletedIterations { get; init; }

    public long InterruptedIterations { get; init; }

    public long DroppedIterations { get; init; }
}
