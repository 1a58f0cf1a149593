namespace Surge.Plans;

/// <summary>A whole test: what to run and how to judge it. Immutable and validated once.</summary>
public sealed record TestPlan
{
    /// <summary>The <see cref="Source"/> of a plan built in code, which a loader may replace with its file's name.</summary>
    public const string CodeSource = "-";

    /// <summary>k6's default summaryTrendStats: avg, min, med, max, p(90), p(95).</summary>
    public static readonly IReadOnlyList<string> DefaultSummaryTrendStats = ["avg", "min", "med", "max", "p(90)", "p(95)"];

    /// <summary>k6's scenarios: they run at the same time, each from its own startTime; at least one.</summary>
    public required IReadOnlyList<ScenarioPlan> Scenarios { get; init; }

    /// <summary>
    /// k6's thresholds: judged on the running totals every interval (for abortOnFail and live views) and on the
    /// final totals, where a failure makes `surge run` exit 99.
    /// </summary>
    public IReadOnlyList<ThresholdPlan> Thresholds { get; init; } = [];

    /// <summary>k6's summaryTrendStats: the columns the end-of-test summary shows for trends, e.g. "p(99)"; <see cref="DefaultSummaryTrendStats"/> by default.</summary>
    public IReadOnlyList<string> SummaryTrendStats { get; init; } = DefaultSummaryTrendStats;

    /// <summary>Tags added to every sample of the run.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>Beyond this many distinct tag sets per metric (1000 by default), new ones fold into one overflow series, with a warning.</summary>
    public int MaxSeriesPerMetric { get; init; } = 1000;

    /// <summary>Run-wide HTTP settings: base URL, TLS, redirects, cookies, connection sharing.</summary>
    public HttpOptions Http { get; init; } = HttpOptions.Default;

    /// <summary>Variables for `{{ env("NAME") }}` on top of the process environment (`-e`, `.env`); a scenario's env wins.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>Custom metrics (counter, gauge, rate, trend), usable in thresholds like the built-in ones.</summary>
    public IReadOnlyList<Metrics.MetricDefinition> Metrics { get; init; } = [];

    /// <summary>Named executors (e.g. local, staging, stress) that `--profile NAME` puts in place of every scenario's own.</summary>
    public IReadOnlyDictionary<string, ExecutorPlan> Profiles { get; init; } = new Dictionary<string, ExecutorPlan>();

    /// <summary>Steps run once before any scenario (a login, test data); their captures are visible to every VU.</summary>
    public IReadOnlyList<Step> Setup { get; init; } = [];

    /// <summary>Steps run once after every scenario ended, with setup's captures, before the verify stages.</summary>
    public IReadOnlyList<Step> Teardown { get; init; } = [];

    /// <summary>Integrity checks run after the load: acknowledged writes against the server's state.</summary>
    public IReadOnlyList<VerifyPlan> Verify { get; init; } = [];

    /// <summary>The execution segment of the whole test this plan runs (<see cref="Segments.PlanSegments"/>); all of it by default.</summary>
    public Segments.ExecutionTuple Segment { get; init; } = Segments.ExecutionTuple.Whole;

    /// <summary>Where the plan came from, for messages; <see cref="CodeSource"/> for plans built in code.</summary>
    public string Source { get; init; } = CodeSource;
}
