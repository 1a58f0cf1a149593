using System.Numerics;

namespace Surge.Metrics;

/// <summary>
/// A log-linear (HDR-style) histogram of non-negative longs with 3 significant decimal digits.
/// Bucket 0 holds 0..2047 exactly; bucket k ≥ 1 covers [2^(k+10), 2^(k+11)) in 1024 sub-buckets of width 2^k,
/// so every reported value is within 1/1024 of a recorded one. Min, Max, Sum and TotalCount are exact.
/// Not thread-safe: callers guarantee a single writer.
/// </summary>
public sealed class Histogram
{
    /// <summary>2^42: larger values share the top sub-bucket (percentiles there read as <see cref="Max"/>), though Max and Sum stay exact. As a trend of time (microseconds) that is about 50 days.</summary>
    public const long HighestTrackableValue = 1L << 42;

    // Counts live in chunks of 1024 sub-buckets, allocated on first use. Chunks 0 and 1 are the two halves of
    // bucket 0 (width 1); chunk k + 1 is bucket k. Splitting bucket 0 makes chunk = k + (sub >> 10) branch-free.
    // A sub-bucket's flat index is chunk * 1024 + slot, which equals k * 1024 + (value >> k).
    private const int ChunkBits = 10;
    private const int ChunkLength = 1 << ChunkBits;
    private const int SlotMask = ChunkLength - 1;
    private const long SubBucketMask = 2 * ChunkLength - 1;

    // HighestTrackableValue is the first value of bucket 32; it and everything clamped to it share one slot,
    // so the top chunk needs only that slot.
    private const int TopIndex = 33 * ChunkLength;
    private const int TopChunk = TopIndex >> ChunkBits;
    private const int ChunkCount = TopChunk + 1;

    private const byte EncodingVersion = 1;
    private const int MaxVarintBytes = 10;

    private readonly long[]?[] _chunks = new long[]?[ChunkCount];
    private long _totalCount;
    private long _min = long.MaxValue;
    private long _max;
    private long _sum;

    /// <summary>How many values were recorded.</summary>
    public long TotalCount => _totalCount;

    /// <summary>The lowest value recorded, exactly; 0 when empty.</summary>
    public long Min => _totalCount == 0 ? 0 : _min;

    /// <summary>The highest value recorded, exactly; 0 when empty.</summary>
    public long Max => _max;

    /// <summary>The sum of every value recorded, exactly.</summary>
    public long Sum => _sum;

    /// <summary><see cref="Sum"/> / <see cref="TotalCount"/>, exact up to double rounding; 0 when empty.</summary>
    public double Mean => _totalCount == 0 ? 0 : (double)_sum / _totalCount;

    /// <summary>Bytes held by this histogram and its allocated chunks (64-bit runtime layout).</summary>
    public long EstimatedFootprintBytes
    {
        get
        {
            const int objectHeader = 16;
            const int arrayHeader = 24;
            long bytes = objectHeader + (sizeof(long) * 5) + arrayHeader + ((long)IntPtr.Size * ChunkCount);
            foreach (var chunk in _chunks)
            {
                if (chunk is not null)
                {
                    bytes += arrayHeader + ((long)sizeof(long) * chunk.Length);
                }
            }
            return bytes;
        }
    }

    /// <summary>Records one value; a negative one counts as 0. Allocates only the first time a range of values is reached.</summary>
    public void Record(long value)
    {
        var exact = Math.Max(value, 0);
        var index = IndexOf(exact);
        var chunk = _chunks[index >> ChunkBits] ?? AllocateChunk(index >> ChunkBits);
        chunk[index & SlotMask]++;
        _totalCount++;
        _sum += exact;
        if (exact < _min)
        {
            _min = exact;
        }
        if (exact > _max)
        {
            _max = exact;
        }
    }

    /// <summary>Records <paramref name="value"/> <paramref name="count"/> times, as that many <see cref="Record"/> calls would.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void RecordCount(long value, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }
        var exact = Math.Max(value, 0);
        AddAt(IndexOf(exact), count);
        _totalCount += count;
        _sum += exact * count;
        _min = Math.Min(_min, exact);
        _max = Math.Max(_max, exact);
    }

    /// <summary>
    /// The value at or below which <paramref name="percentile"/> percent of recorded values fall, by nearest rank:
    /// the highest value of the sub-bucket holding the rank-th value, clamped to [Min, Max].
    /// </summary>
    public long ValueAtPercentile(double percentile)
    {
        if (double.IsNaN(percentile) || percentile < 0 || percentile > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "a percentile must be within 0..100");
        }
        if (_totalCount == 0)
        {
            return 0;
        }
        if (percentile == 0)
        {
            return _min;
        }
        if (percentile == 100)
        {
            return _max;
        }

        // Decimal keeps the rank exact: p = 99.9 of 1000 values is rank 999, where doubles can drift to 1000.
        var rank = (long)Math.Max(1m, Math.Ceiling((decimal)percentile * _totalCount / 100m));
        long cumulative = 0;
        for (var c = 0; c < ChunkCount; c++)
        {
            var chunk = _chunks[c];
            if (chunk is null)
            {
                continue;
            }
            for (var slot = 0; slot < chunk.Length; slot++)
            {
                cumulative += chunk[slot];
                if (cumulative >= rank)
                {
                    return Math.Clamp(HighestValueAt((c << ChunkBits) + slot), _min, _max);
                }
            }
        }
        return _max;
    }

    /// <summary>Adds every value of <paramref name="other"/>, exactly: the result is what recording both sets of values into one histogram gives.</summary>
    public void Add(Histogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._totalCount == 0)
        {
            return;
        }
        for (var c = 0; c < ChunkCount; c++)
        {
            var source = other._chunks[c];
            if (source is null)
            {
                continue;
            }
            var target = _chunks[c];
            for (var slot = 0; slot < source.Length; slot++)
            {
                if (source[slot] != 0)
                {
                    target ??= AllocateChunk(c);
                    target[slot] += source[slot];
                }
            }
        }
        _totalCount += other._totalCount;
        _sum += other._sum;
        _min = Math.Min(_min, other._min);
        _max = Math.Max(_max, other._max);
    }

    /// <summary>Zeroes all counts but keeps allocated chunks, so a recycled histogram allocates nothing.</summary>
    public void Clear()
    {
        foreach (var chunk in _chunks)
        {
            if (chunk is not null)
            {
                Array.Clear(chunk);
            }
        }
        _totalCount = 0;
        _sum = 0;
        _min = long.MaxValue;
        _max = 0;
    }

    /// <summary>An independent copy with the same counts.</summary>
    public Histogram Copy()
    {
        var copy = new Histogram
        {
            _totalCount = _totalCount,
            _sum = _sum,
            _min = _min,
            _max = _max,
        };
        for (var c = 0; c < ChunkCount; c++)
        {
            copy._chunks[c] = (long[]?)_chunks[c]?.Clone();
        }
        return copy;
    }

    /// <summary>
    /// Every sub-bucket with a non-zero count, ascending. The top sub-bucket (from HighestTrackableValue) also holds
    /// the values clamped into it, so its HighestValue is long.MaxValue.
    /// </summary>
    public IEnumerable<HistogramBucket> NonEmptyBuckets() =>
        NonEmptySlots().Select(slot => new HistogramBucket(LowestValueAt(slot.Index), HighestValueAt(slot.Index), slot.Count));

    /// <summary>Every sub-bucket index with a non-zero count, ascending; off the recording path.</summary>
    private IEnumerable<(int Index, long Count)> NonEmptySlots()
    {
        for (var c = 0; c < ChunkCount; c++)
        {
            if (_chunks[c] is not { } chunk)
            {
                continue;
            }
            for (var slot = 0; slot < chunk.Length; slot++)
            {
                if (chunk[slot] != 0)
                {
                    yield return ((c << ChunkBits) + slot, chunk[slot]);
                }
            }
        }
    }

    /// <summary>
    /// Lossless base64 encoding: version byte, then varints of total, min, max and sum, then for every non-zero
    /// sub-bucket the varint distance from the previous sub-bucket index (starting at -1) and its varint count.
    /// </summary>
    public string ToBase64()
    {
        var nonEmpty = NonEmptySlots().Count();

        var buffer = new byte[1 + (4 * MaxVarintBytes) + (nonEmpty * (3 + MaxVarintBytes))];
        var position = 0;
        buffer[position++] = EncodingVersion;
        WriteVarint(buffer, ref position, (ulong)_totalCount);
        WriteVarint(buffer, ref position, (ulong)Min);
        WriteVarint(buffer, ref position, (ulong)Max);
        WriteVarint(buffer, ref position, (ulong)_sum);
        var previous = -1;
        foreach (var (index, count) in NonEmptySlots())
        {
            WriteVarint(buffer, ref position, (ulong)(index - previous));
            WriteVarint(buffer, ref position, (ulong)count);
            previous = index;
        }
        return Convert.ToBase64String(buffer, 0, position);
    }

    /// <summary>Decodes <see cref="ToBase64"/>; corrupt or truncated input throws <see cref="FormatException"/>.</summary>
    public static Histogram FromBase64(string encoded)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        byte[] data;
        try
        {
            data = Convert.FromBase64String(encoded);
        }
        catch (FormatException e)
        {
            throw new FormatException("Invalid histogram encoding: not valid base64.", e);
        }
        if (data.Length == 0)
        {
            throw Corrupt("no data");
        }
        if (data[0] != EncodingVersion)
        {
            throw Corrupt($"unsupported version {data[0]} (expected {EncodingVersion})");
        }

        var position = 1;
        var total = ReadNonNegative(data, ref position, "total count");
        var min = ReadNonNegative(data, ref position, "min");
        var max = ReadNonNegative(data, ref position, "max");
        var sum = (long)ReadVarint(data, ref position, "sum");

        var histogram = new Histogram();
        long previous = -1;
        long first = -1;
        long seen = 0;
        while (position < data.Length)
        {
            var delta = ReadNonNegative(data, ref position, "sub-bucket index");
            if (delta == 0 || delta > TopIndex - previous)
            {
                throw Corrupt($"sub-bucket index {previous} + {delta} is out of order or beyond {TopIndex}");
            }
            var index = previous + delta;
            var count = ReadNonNegative(data, ref position, "sub-bucket count");
            if (count == 0 || count > total - seen)
            {
                throw Corrupt($"sub-bucket {index} has count {count}, inconsistent with total count {total}");
            }
            histogram.AddAt((int)index, count);
            seen += count;
            previous = index;
            first = first < 0 ? index : first;
        }

        if (seen != total)
        {
            throw Corrupt($"sub-bucket counts sum to {seen} but the total count is {total} (truncated?)");
        }
        if (total == 0)
        {
            if (min != 0 || max != 0 || sum != 0)
            {
                throw Corrupt("an empty histogram must have zero min, max and sum");
            }
            return histogram;
        }
        if (min > max || IndexOf(min) != first || IndexOf(max) != previous)
        {
            throw Corrupt($"min {min} and max {max} do not match the lowest and highest non-empty sub-buckets");
        }
        histogram._totalCount = total;
        histogram._min = min;
        histogram._max = max;
        histogram._sum = sum;
        return histogram;
    }

    /// <summary>The flat sub-bucket index of a non-negative value; values above the top share the top index.</summary>
    private static int IndexOf(long value)
    {
        var clamped = Math.Min(value, HighestTrackableValue);
        var bucket = 53 - BitOperations.LeadingZeroCount((ulong)clamped | SubBucketMask);
        return (bucket << ChunkBits) + (int)(clamped >> bucket);
    }

    private static long LowestValueAt(int index)
    {
        var chunk = index >> ChunkBits;
        var slot = index & SlotMask;
        return chunk == 0 ? slot : (long)(ChunkLength + slot) << (chunk - 1);
    }

    private static long HighestValueAt(int index)
    {
        var chunk = index >> ChunkBits;
        if (chunk == TopChunk)
        {
            return long.MaxValue;
        }
        return chunk == 0 ? index : LowestValueAt(index) + (1L << (chunk - 1)) - 1;
    }

    private void AddAt(int index, long count)
    {
        var chunk = _chunks[index >> ChunkBits] ?? AllocateChunk(index >> ChunkBits);
        chunk[index & SlotMask] += count;
    }

    private long[] AllocateChunk(int chunk) => _chunks[chunk] = new long[chunk == TopChunk ? 1 : ChunkLength];

    private static void WriteVarint(byte[] buffer, ref int position, ulong value)
    {
        while (value >= 0x80)
        {
            buffer[position++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[position++] = (byte)value;
    }

    private static ulong ReadVarint(byte[] data, ref int position, string field)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            if (position >= data.Length)
            {
                throw Corrupt($"truncated while reading {field}");
            }
            var next = data[position++];
            if (shift == 63 && next > 1)
            {
                throw Corrupt($"{field} does not fit in 64 bits");
            }
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return value;
            }
        }
    }

    private static long ReadNonNegative(byte[] data, ref int position, string field)
    {
        var value = ReadVarint(data, ref position, field);
        return value <= long.MaxValue ? (long)value : throw Corrupt($"{field} {value} is out of range");
    }

    private static FormatException Corrupt(string reason) => new($"Invalid histogram encoding: {reason}.");
}

/// <summary>One sub-bucket of a <see cref="Histogram"/>: every value in [LowestValue, HighestValue] counts here.</summary>
/// <param name="LowestValue">The smallest value this sub-bucket holds.</param>
/// <param name="HighestValue">The largest value it holds; <see cref="long.MaxValue"/> for the top one, which also holds clamped values.</param>
/// <param name="Count">How many recorded values fell in it.</param>
public readonly record struct HistogramBucket(long LowestValue, long HighestValue, long Count);
