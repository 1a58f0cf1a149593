namespace Surge.Plans;

/// <summary>One scenario: an executor that decides when iterations start, and the steps each iteration runs.</summary>
public sealed record ScenarioPlan
{
    /// <summary>k6's gracefulStop.</summary>
    public static readonly TimeSpan DefaultGracefulStop = TimeSpan.FromSeconds(30);

    public required string Name { get; init; }

    public required ExecutorPlan Executor { get; init; }

    /// <summary>What every iteration runs, unless the scenario has <see cref="Personas"/>.</summary>
    public required IReadOnlyList<Step> Steps { get; init; }

    /// <summary>Kinds of users sharing the scenario's VUs by weight, each with weighted flows; empty for plain steps.</summary>
    public IReadOnlyList<PersonaPlan> Personas { get; init; } = [];

    public TimeSpan StartTime { get; init; }

    /// <summary>How long iterations still running when the executor ends may finish before they are interrupted.</summary>
    public TimeSpan GracefulStop { get; init; } = DefaultGracefulStop;

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>The data source each iteration takes one record from, or null.</summary>
    public DataSourcePlan? Data { get; init; }

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
