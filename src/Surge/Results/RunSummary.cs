using Surge.Metrics;
using Surge.Thresholds;

namespace Surge.Results;

/// <summary>How a run ended; with thresholds it decides `surge run`'s exit code (105 interrupted, 107 setup failed, else 99 when a threshold failed).</summary>
public enum RunOutcome
{
    /// <summary>Every scenario ran to its end. Thresholds may still have failed: see <see cref="RunSummary.ThresholdsPassed"/>.</summary>
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
    /// <summary>When the load started, on the wall clock (UTC); for a merged result, the earliest part's start.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>
    /// From the start to the last collection, on the monotonic clock: setup, the load with its gracefulStop, teardown and
    /// the verify stages. Counters' per-second rates divide by it. For a merged result, the earliest start to the latest end.
    /// </summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Every metric the run defined, built-in and the test's own, with or without data; a run's are sorted by name.</summary>
    public required IReadOnlyList<MetricSummary> Metrics { get; init; }

    /// <summary>Each threshold as judged on the whole run (on the merged whole for a merged result), in plan order.</summary>
    public required IReadOnlyList<ThresholdResult> Thresholds { get; init; }

    /// <summary>Each scenario as planned and what it ran, in plan order.</summary>
    public required IReadOnlyList<ScenarioSummary> Scenarios { get; init; }

    /// <summary>k6's summaryTrendStats: which trend statistics the summary shows, e.g. avg, min, med, max, p(90), p(95).</summary>
    public IReadOnlyList<string> SummaryTrendStats { get; init; } = Plans.TestPlan.DefaultSummaryTrendStats;

    /// <summary>The run over time, oldest first; bounded in length however long the run.</summary>
    public IReadOnlyList<TimelinePoint> Timeline { get; init; } = [];

    /// <summary>What each verify stage found, in plan order.</summary>
    public IReadOnlyList<IntegrityResult> Verifications { get; init; } = [];

    /// <summary>
    /// What the reader must know to trust the numbers, one line each: failed or dropped iterations, refused requests,
    /// tag sets folded into overflow, a saturated generator, failed verifications, outputs that lost data.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>How the run ended; for a merged result, the worst of its parts.</summary>
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

    /// <summary>
    /// True when every threshold passed (or there are none); false means exit code 99. A run that a threshold aborted
    /// (abortOnFail) never passes, even when its final totals recover: the warnings name the value that aborted it.
    /// </summary>
    public bool ThresholdsPassed => Outcome != RunOutcome.AbortedByThreshold && Thresholds.All(t => t.Passed);

    /// <summary>The metric of that name (e.g. <c>http_req_duration</c>), or null when the run did not define it.</summary>
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

/// <summary>One tagged series of a metric over the whole run.</summary>
/// <param name="Tags">The series' tags (scenario, name, method, status...).</param>
/// <param name="Values">Everything the series recorded.</param>
public sealed record MetricSeries(TagSet Tags, MetricAggregate Values);

/// <summary>One threshold, judged.</summary>
/// <param name="Key">The metric and tag filter it reads, e.g. <c>http_req_duration{name:login}</c>.</param>
/// <param name="Expression">The condition, e.g. <c>p(95)&lt;500</c>.</param>
/// <param name="Observed">
/// The statistic's value in the metric's display unit (milliseconds for time), or null when it had no data: no matching
/// series, or a rate, gauge or trend statistic over no samples. Without data a threshold fails unless allowNoData.
/// </param>
/// <param name="Passed">Whether the condition held (or held for lack of data with allowNoData).</param>
/// <param name="AbortOnFail">k6's abortOnFail: a failure while running stopped the run.</param>
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

    /// <inheritdoc cref="RunSummary.StartedAt"/>
    public required DateTimeOffset StartedAt { get; init; }

    /// <inheritdoc cref="RunSummary.Duration"/>
    public required TimeSpan Duration { get; init; }

    /// <inheritdoc cref="RunSummary.Outcome"/>
    public RunOutcome Outcome { get; init; } = RunOutcome.Completed;

    /// <inheritdoc cref="RunSummary.StoppedBy"/>
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

/// <summary>One scenario: how it was planned and how many iterations it ran. In a merged result, the parts' sums.</summary>
public sealed record ScenarioSummary
{
    /// <summary>The scenario's name, as in its <c>scenario</c> tag.</summary>
    public required string Name { get; init; }

    /// <summary>k6's executor name, e.g. <c>ramping-arrival-rate</c>.</summary>
    public required string Executor { get; init; }

    /// <summary>A k6-style one-liner, e.g. "10 looping VUs for 30s (gracefulStop: 30s)".</summary>
    public required string Description { get; init; }

    /// <summary>The most VUs the executor may use (as planned, not as measured); summed over the parts of a merged result.</summary>
    public int MaxVus { get; init; }

    /// <summary>How long after the run's start it may still run: startTime + the executor's longest + gracefulStop (k6's max duration).</summary>
    public TimeSpan MaxDuration { get; init; }

    /// <summary>Iterations that ran to the end; those that threw an exception are <see cref="FailedIterations"/>.</summary>
    public long CompletedIterations { get; init; }

    /// <summary>Iterations ended by an exception from their steps (the summary's warnings quote the first one).</summary>
    public long FailedIterations { get; init; }

    /// <summary>Iterations cut off by a stop, the end of gracefulStop or an abortOnFail threshold.</summary>
    public long InterruptedIterations { get; init; }

    /// <summary>k6's dropped_iterations of this scenario: arrivals that found no free VU.</summary>
    public long DroppedIterations { get; init; }
}
