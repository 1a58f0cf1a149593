namespace Surge.Data;

/// <summary>
/// Hands records of a shared <see cref="DataTable"/> to virtual users on any thread. Taking is lock-free and allocates
/// nothing: sequential and circular feeders advance one Interlocked counter shared by all users, random ones draw
/// from <see cref="Random.Shared"/>. The <see cref="Segment"/> applies to sequential feeders only: random and circular
/// records may repeat anyway, so every instance reads the whole table for them.
/// </summary>
internal sealed class Feeder
{
    private readonly int _sequentialRows;
    private long _taken;

    public Feeder(DataTable table, FeederMode mode, OutOfDataPolicy whenOutOfData = OutOfDataPolicy.Stop, InstanceSegment? segment = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "not a feeder mode");
        }
        if (!Enum.IsDefined(whenOutOfData))
        {
            throw new ArgumentOutOfRangeException(nameof(whenOutOfData), whenOutOfData, "not an out-of-data policy");
        }
        Table = table;
        Mode = mode;
        WhenOutOfData = whenOutOfData;
        Segment = segment ?? InstanceSegment.Whole;
        _sequentialRows = Segment.RowsOf(table.RowCount);
    }

    public DataTable Table { get; }

    public FeederMode Mode { get; }

    public OutOfDataPolicy WhenOutOfData { get; }

    public InstanceSegment Segment { get; }

    /// <summary>
    /// The next record, or false when a sequential feeder that stops when out of data has handed out all of its
    /// segment's rows (or its segment has none); every later take fails too.
    /// </summary>
    public bool TryTake(out DataRecord record)
    {
        switch (Mode)
        {
            case FeederMode.Random:
                record = new DataRecord(Table, Random.Shared.Next(Table.RowCount));
                return true;
            case FeederMode.Circular:
                record = new DataRecord(Table, (int)(NextTake() % Table.RowCount));
                return true;
            default:
                return TryTakeSequential(out record);
        }
    }

    private bool TryTakeSequential(out DataRecord record)
    {
        var take = NextTake();
        if (take >= _sequentialRows && (WhenOutOfData == OutOfDataPolicy.Stop || _sequentialRows == 0))
        {
            record = default;
            return false;
        }
        record = new DataRecord(Table, Segment.TableRow((int)(take % _sequentialRows)));
        return true;
    }

    private long NextTake() => Interlocked.Increment(ref _taken) - 1;
}
