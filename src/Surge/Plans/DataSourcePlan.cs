using Surge.Data;

namespace Surge.Plans;

/// <summary>
/// A named test-data table (loaded once, read-only) and how iterations take records from it. A scenario that uses
/// it takes one record per iteration; its fields are variables, `{{ email }}` or `{{ users.email }}`.
/// </summary>
/// <param name="Name">The name scenarios refer to it by, and the prefix of its fields (`{{ users.email }}`).</param>
/// <param name="Table">The records, loaded once before the run.</param>
public sealed record DataSourcePlan(string Name, DataTable Table)
{
    /// <summary>The order iterations take records in (YAML's `mode:`); <see cref="FeederMode.Sequential"/>, each record once, by default.</summary>
    public FeederMode Mode { get; init; } = FeederMode.Sequential;

    /// <summary>
    /// What a sequential source does once every record is taken (YAML's `whenExhausted:`):
    /// <see cref="OutOfDataPolicy.Stop"/> (the default) ends the scenario, since no iteration runs without its record,
    /// and the summary says so; <see cref="OutOfDataPolicy.Recycle"/> starts over.
    /// </summary>
    public OutOfDataPolicy WhenOutOfData { get; init; } = OutOfDataPolicy.Stop;

    /// <summary>Where the source was declared, for errors about it; null when unknown.</summary>
    public SourceLocation? Location { get; init; }
}
