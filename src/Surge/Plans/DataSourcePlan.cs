using Surge.Data;

namespace Surge.Plans;

/// <summary>
/// A named test-data table (loaded once, read-only) and how iterations take records from it. A scenario that uses
/// it takes one record per iteration; its fields are variables, `{{ email }}` or `{{ users.email }}`.
/// </summary>
public sealed record DataSourcePlan(string Name, DataTable Table)
{
    public FeederMode Mode { get; init; } = FeederMode.Sequential;

    public OutOfDataPolicy WhenOutOfData { get; init; } = OutOfDataPolicy.Stop;

    public SourceLocation? Location { get; init; }
}
