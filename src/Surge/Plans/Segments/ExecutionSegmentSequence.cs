namespace Surge.Plans.Segments;

/// <summary>
/// k6's execution segment sequence: the points that cut the whole test into the segments of every instance, e.g.
/// `0,1/3,2/3,1`. Each instance names its own segment and the same sequence, and from the sequence alone each works
/// out, without talking to the others, which VUs, iterations and arrivals are its own.
/// </summary>
public sealed class ExecutionSegmentSequence
{
    /// <summary>Finer sequences would make the striping table (one entry per 1/LCD of the test) needlessly large.</summary>
    public const long MaxCommonDenominator = 1_000_000;

    private readonly long[][] _positions;

    private ExecutionSegmentSequence(IReadOnlyList<ExecutionSegment> segments)
    {
        Segments = segments;
        CommonDenominator = LeastCommonDenominator(segments);
        _positions = Stripe(segments, CommonDenominator);
    }

    /// <summary>The segments, contiguous, from 0 to 1.</summary>
    public IReadOnlyList<ExecutionSegment> Segments { get; }

    /// <summary>The least common denominator of the segments' lengths: the striping repeats every this many indexes.</summary>
    public long CommonDenominator { get; }

    /// <summary>
    /// The points of <paramref name="text"/> ("0,1/3,2/3,1"), at least two, each after the one before; the gaps before
    /// the first and after the last point become segments too, so that the sequence covers the whole test.
    /// </summary>
    public static IReadOnlyList<ExecutionSegment> ParsePoints(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var points = text.Split(',');
        if (points.Length < 2)
        {
            throw new SegmentFormatException($"a segment sequence needs at least 2 points, e.g. 0,1/2,1; '{text}' has {points.Length}");
        }
        var values = points.Select(ExecutionSegment.Point).ToArray();
        return [.. values.Zip(values.Skip(1), (from, to) => new ExecutionSegment(from, to))];
    }

    /// <summary>
    /// k6's filled sequence: <paramref name="cuts"/> (or, when null, just <paramref name="segment"/>) with the gaps at
    /// either end added, so that it runs from 0 to 1.
    /// </summary>
    public static ExecutionSegmentSequence Filled(IReadOnlyList<ExecutionSegment>? cuts, ExecutionSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        var segments = new List<ExecutionSegment>(cuts is { Count: > 0 } ? cuts : [segment]);
        if (segments[0].From != Fraction.Zero)
        {
            segments.Insert(0, new ExecutionSegment(Fraction.Zero, segments[0].From));
        }
        if (segments[^1].To != Fraction.One)
        {
            segments.Add(new ExecutionSegment(segments[^1].To, Fraction.One));
        }
        return new ExecutionSegmentSequence(segments);
    }

    /// <summary>The sequence of one instance running all of the test: the single segment 0:1.</summary>
    public static ExecutionSegmentSequence Whole { get; } = new([ExecutionSegment.Whole]);

    /// <summary>The index positions (0 ≤ p &lt; <see cref="CommonDenominator"/>) that segment <paramref name="index"/> owns in every cycle.</summary>
    public IReadOnlyList<long> PositionsOf(int index) => _positions[index];

    /// <summary>
    /// k6's striped offsets of segment <paramref name="index"/>: its first position, then the gaps to each next one,
    /// the last gap wrapping into the next cycle.
    /// </summary>
    public (long Start, long[] Offsets, long CommonDenominator) StripedOffsets(int index)
    {
        var positions = _positions[index];
        var offsets = new long[positions.Length];
        for (var i = 0; i < positions.Length; i++)
        {
            offsets[i] = (i + 1 < positions.Length ? positions[i + 1] : positions[0] + CommonDenominator) - positions[i];
        }
        return (positions[0], offsets, CommonDenominator);
    }

    /// <summary>How many of the indexes 0..value-1 segment <paramref name="index"/> owns; over all segments they sum to value.</summary>
    public long Scale(int index, long value)
    {
        if (Segments.Count == 1)
        {
            return value;
        }
        var positions = _positions[index];
        var remainder = value % CommonDenominator;
        var inPartialCycle = 0;
        while (inPartialCycle < positions.Length && positions[inPartialCycle] < remainder)
        {
            inPartialCycle++;
        }
        return (value / CommonDenominator * positions.Length) + inPartialCycle;
    }

    /// <summary>The whole test's index of segment <paramref name="index"/>'s <paramref name="nth"/> own index (both from 0).</summary>
    public long GlobalIndex(int index, long nth)
    {
        var positions = _positions[index];
        return (nth / positions.Length * CommonDenominator) + positions[nth % positions.Length];
    }

    /// <summary>The points, as k6 writes a sequence: "0,1/3,2/3,1".</summary>
    public override string ToString() => string.Join(',', Segments.Select(s => s.From.ToString()).Append(Segments[^1].To.ToString()));

    private static long LeastCommonDenominator(IReadOnlyList<ExecutionSegment> segments)
    {
        var lcd = System.Numerics.BigInteger.One;
        foreach (var segment in segments)
        {
            var denominator = segment.Length.Denominator;
            lcd = lcd / System.Numerics.BigInteger.GreatestCommonDivisor(lcd, denominator) * denominator;
            if (lcd > MaxCommonDenominator)
            {
                throw new SegmentFormatException(
                    $"the segments' lengths have a common denominator above {MaxCommonDenominator:N0}; use coarser fractions (e.g. 1/3 rather than 333333/1000000)");
            }
        }
        return (long)lcd;
    }

    // k6's striping: index positions 0..lcd-1 are dealt out one at a time, largest segment first, each position to the
    // first segment (by size) whose share of the positions dealt so far has fallen to or below its length. Every
    // segment then holds exactly length·lcd positions per cycle, spread evenly rather than in one block.
    private static long[][] Stripe(IReadOnlyList<ExecutionSegment> segments, long lcd)
    {
        var weights = segments.Select(s => (long)(s.Length.Numerator * (lcd / s.Length.Denominator))).ToArray();
        var bySize = Enumerable.Range(0, segments.Count).OrderByDescending(i => weights[i]).ToArray();
        var positions = weights.Select(w => new List<long>((int)w)).ToArray();
        var dealt = new long[segments.Count];
        for (long position = 0; position < lcd; position++)
        {
            foreach (var segment in bySize)
            {
                var due = dealt[segment] * lcd;
                var (quotient, remainder) = Math.DivRem(due, weights[segment]);
                if (position > quotient || (position == quotient && remainder == 0))
                {
                    dealt[segment]++;
                    positions[segment].Add(position);
                    break;
                }
            }
        }
        return [.. positions.Select(p => p.ToArray())];
    }
}
