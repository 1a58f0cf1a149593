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

    /// <summary>
    /// The Stopwatch timestamp taken at <see cref="StartedAt"/>: a gauge's LastTimestamp on this run's clock was set at
    /// StartedAt + (LastTimestamp − ClockOrigin), which is how gauges of machines with unrelated clocks compare.
    /// </summary>
    public long ClockOrigin { get; init; }

    /// <summary>What the run ran, to tell whether results may merge; null for a plan built in code without one.</summary>
    public PlanIdentity? Plan { get; init; }

    /// <summary>The runs a merged result was made of, in the order given; empty for a single run.</summary>
    public IReadOnlyList<RunPart> Parts { get; init; } = [];

    /// <summary>The execution segment this run measured (`1/3:2/3`), or null for the whole test.</summary>
    public string? Segment { get; init; }

    /// <summary>The segment sequence <see cref="Segment"/> belongs to (`0,1/3,2/3,1`), or null for the whole test.</summary>
    public string? SegmentSequence { get; init; }

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

public sealed record ThresholdResult(MetricKey Key, ThresholdExpression Expression, double? Observed, bool Passed, bool AbortOnFail)
{
    /// <summary>The plan's allowNoData, kept so that a merged result judges the threshold as the run did.</summary>
    public bool AllowNoData { get; init; }
}

/// <summary>One run inside a merged result: where it came from and how it ended.</summary>
public sealed record RunPart
{
    /// <summary>The result file it was read from.</summary>
    public required string Source { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required TimeSpan Duration { get; init; }

    public RunOutcome Outcome { get; init; } = RunOutcome.Completed;

    public string? StoppedBy { get; init; }

    /// <inheritdoc cref="RunSummary.Segment"/>
    public string? Segment { get; init; }

    /// <inheritdoc cref="RunSummary.SegmentSequence"/>
    public string? SegmentSequence { get; init; }
}

/// <summary>
/// What a run ran, by parts: each field of the plan (a scenario, the thresholds, the HTTP options...) with a hash of
/// its content, and a hash of them all. Results merge only when their hashes agree, and when they do not, the fields
/// that differ say how. What legitimately differs between the instances of one distributed run (the execution
/// segment, the environment, the run's tags, the file's path) is left out.
/// </summary>
public sealed record PlanIdentity(string Hash, IReadOnlyDictionary<string, string> Fields)
{
    /// <summary>The fields whose hashes differ, or that only one side has, in order.</summary>
    public IReadOnlyList<string> Differences(PlanIdentity other) =>
    [
        .. Fields.Keys.Union(other.Fields.Keys, StringComparer.Ordinal)
            .Where(field => Fields.GetValueOrDefault(field) != other.Fields.GetValueOrDefault(field))
            .Order(StringComparer.Ordinal),
    ];
}

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
