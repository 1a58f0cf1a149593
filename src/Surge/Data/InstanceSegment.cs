using Surge.Plans.Segments;

namespace Surge.Data;

/// <summary>
/// The rows of a table that one instance of a distributed run takes: those whose index its execution segment owns
/// (<see cref="ExecutionTuple.GlobalIndex"/>), so the instances of one segment sequence together take every row once,
/// each in proportion to its segment. The rows are striped rather than sliced: each instance's first records are near
/// the top of the file, and its share stays within one row of its fraction.
/// </summary>
internal sealed record InstanceSegment
{
    public InstanceSegment(ExecutionTuple tuple)
    {
        ArgumentNullException.ThrowIfNull(tuple);
        Tuple = tuple;
    }

    /// <summary>Instance <paramref name="index"/> of <paramref name="count"/> equal ones: rows r with r % count == index.</summary>
    public InstanceSegment(int index, int count)
        : this(EqualPart(index, count))
    {
    }

    /// <summary>A run on one instance: every row.</summary>
    public static InstanceSegment Whole { get; } = new(ExecutionTuple.Whole);

    public ExecutionTuple Tuple { get; }

    /// <summary>How many of a table's rows belong to this instance (none when the table is too short to reach its first).</summary>
    public int RowsOf(int tableRows) => (int)Tuple.Scale(tableRows);

    /// <summary>The table row of this instance's <paramref name="nth"/> row (from 0).</summary>
    public int TableRow(int nth) => (int)Tuple.GlobalIndex(nth);

    private static ExecutionTuple EqualPart(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        var points = string.Join(',', Enumerable.Range(0, count + 1).Select(i => $"{i}/{count}"));
        return ExecutionTuple.Parse($"{index}/{count}:{index + 1}/{count}", points);
    }
}
