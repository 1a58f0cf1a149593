namespace Surge.Plans;

/// <summary>One scenario: an executor that decides when iterations start, and the steps each iteration runs.</summary>
public sealed record ScenarioPlan
{
    public required string Name { get; init; }

    public required ExecutorPlan Executor { get; init; }

    /// <summary>What every iteration runs, unless the scenario has <see cref="Personas"/>.</summary>
    public required IReadOnlyList<Step> Steps { get; init; }

    /// <summary>Kinds of users sharing the scenario's VUs by weight, each with weighted flows; empty for plain steps.</summary>
    public IReadOnlyList<PersonaPlan> Personas { get; init; } = [];

    public TimeSpan StartTime { get; init; }

    /// <summary>How long iterations still running when the executor ends may finish before they are interrupted.</summary>
    public TimeSpan GracefulStop { get; init; } = TimeSpan.FromSeconds(30);

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>The data source each iteration takes one record from, or null.</summary>
    public DataSourcePlan? Data { get; init; }

    public SourceLocation? Location { get; init; }
}
