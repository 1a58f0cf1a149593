namespace Surge.Plans;

/// <summary>One scenario: an executor that decides when iterations start, and the steps each iteration runs.</summary>
public sealed record ScenarioPlan
{
    /// <summary>k6's gracefulStop.</summary>
    public static readonly TimeSpan DefaultGracefulStop = TimeSpan.FromSeconds(30);

    /// <summary>The scenario's name, unique in the test: the `scenario` tag of its samples.</summary>
    public required string Name { get; init; }

    /// <summary>k6's executor: when iterations start and how many VUs run them.</summary>
    public required ExecutorPlan Executor { get; init; }

    /// <summary>What every iteration runs, unless the scenario has <see cref="Personas"/>.</summary>
    public required IReadOnlyList<Step> Steps { get; init; }

    /// <summary>Kinds of users sharing the scenario's VUs by weight, each with weighted flows; empty for plain steps.</summary>
    public IReadOnlyList<PersonaPlan> Personas { get; init; } = [];

    /// <summary>k6's startTime: how long after the run's start the scenario begins; zero (at once) by default.</summary>
    public TimeSpan StartTime { get; init; }

    /// <summary>
    /// k6's gracefulStop: how long iterations still running when the executor ends may finish before they are
    /// interrupted; <see cref="DefaultGracefulStop"/> (30s) by default.
    /// </summary>
    public TimeSpan GracefulStop { get; init; } = DefaultGracefulStop;

    /// <summary>k6's scenario tags: added to every sample of the scenario, on top of the test's.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>k6's scenario env: variables for `{{ env("NAME") }}` and <c>ctx.Env</c> in this scenario, winning over the test's and the process's.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>The data source each iteration takes one record from, or null.</summary>
    public DataSourcePlan? Data { get; init; }

    /// <summary>Where the scenario was written, for errors about it; null when unknown.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>How long after the run's start the scenario may still run, as k6's "max duration": startTime, the executor's longest, gracefulStop.</summary>
    public TimeSpan MaxDuration => StartTime + Executor.MaxDuration + GracefulStop;

    /// <summary>The scenario as the run's header and the summary list it, before anything is measured.</summary>
    public Results.ScenarioSummary Describe() => new()
    {
        Name = Name,
        Executor = Executor.Kind,
        Description = ExecutorDescriptions.Describe(Executor, GracefulStop, StartTime),
        MaxVus = Executor.PeakVus,
        MaxDuration = MaxDuration,
    };

    /// <summary>The first rule the scenario's options or its executor's break, or null when it can run.</summary>
    public PlanProblem? Problem() =>
        PlanRules.NotNegative("startTime", StartTime) ?? PlanRules.NotNegative("gracefulStop", GracefulStop) ?? Executor.Problem();
}
