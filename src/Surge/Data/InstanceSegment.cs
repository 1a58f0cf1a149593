namespace Surge.Data;

/// <summary>
/// Instance <see cref="Index"/> of <see cref="Count"/> in a distributed run. A sequential feeder on that instance takes
/// only the rows r with r % Count == Index, so the instances together take every row once. Striding rather than
/// contiguous slices keeps each instance's first records near the top of the file and its share within one row of the
/// others'.
/// </summary>
public sealed record InstanceSegment
{
    public InstanceSegment(int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        Index = index;
        Count = count;
    }

    /// <summary>A run on one instance: every row.</summary>
    public static InstanceSegment Whole { get; } = new(0, 1);

    public int Index { get; }

    public int Count { get; }

    /// <summary>How many of a table's rows belong to this instance (none when there are more instances than rows).</summary>
    public int RowsOf(int tableRows) => tableRows > Index ? ((tableRows - 1 - Index) / Count) + 1 : 0;

    /// <summary>The table row of this instance's <paramref name="nth"/> row (from 0).</summary>
    public int TableRow(int nth) => Index + (nth * Count);
}
