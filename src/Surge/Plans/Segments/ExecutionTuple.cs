namespace Surge.Plans.Segments;

/// <summary>
/// k6's execution tuple: this instance's segment and the sequence it belongs to. Everything an instance runs is its
/// share of the whole by <see cref="Scale(long)"/> (VUs, iterations, maxVUs) or by <see cref="GlobalIndex"/> (which of the
/// whole test's arrivals, data rows and VU numbers are its own), so that the instances of one sequence together run
/// exactly the whole test, each index once.
/// </summary>
public sealed record ExecutionTuple
{
    private ExecutionTuple(ExecutionSegmentSequence sequence, int index)
    {
        Sequence = sequence;
        Index = index;
    }

    /// <summary>One instance running all of the test.</summary>
    public static ExecutionTuple Whole { get; } = new(ExecutionSegmentSequence.Whole, 0);

    /// <summary>The sequence the instances share; <see cref="ExecutionSegmentSequence.Whole"/> for an unsegmented run.</summary>
    public ExecutionSegmentSequence Sequence { get; }

    /// <summary>The position of <see cref="Segment"/> in <see cref="Sequence"/>.</summary>
    public int Index { get; }

    /// <summary>This instance's segment of the test.</summary>
    public ExecutionSegment Segment => Sequence.Segments[Index];

    /// <summary>True when the sequence has a single segment, so this instance runs all of the test.</summary>
    public bool IsWhole => Sequence.Segments.Count == 1;

    /// <summary>
    /// The tuple of `--execution-segment` and `--execution-segment-sequence` (either may be null). Without a sequence
    /// the segment alone is filled out to one (1/3:2/3 → 0,1/3,2/3,1); a sequence needs a segment that is one of its own.
    /// </summary>
    public static ExecutionTuple Parse(string? segment, string? sequence)
    {
        if (segment is null && sequence is null)
        {
            return Whole;
        }
        if (segment is null)
        {
            throw new SegmentFormatException($"--execution-segment-sequence {sequence} needs --execution-segment, the part of it this instance runs");
        }
        var own = ExecutionSegment.Parse(segment);
        var filled = ExecutionSegmentSequence.Filled(sequence is null ? null : ExecutionSegmentSequence.ParsePoints(sequence), own);
        var index = filled.Segments.ToList().FindIndex(s => s == own);
        return index >= 0
            ? new ExecutionTuple(filled, index)
            : throw new SegmentFormatException($"the segment {own} is not one of the sequence's segments ({string.Join(", ", filled.Segments)})");
    }

    /// <summary>This segment's share of <paramref name="value"/> things; over a sequence's segments the shares sum to it.</summary>
    public long Scale(long value) => Sequence.Scale(Index, value);

    /// <inheritdoc cref="Scale(long)"/>
    public int Scale(int value) => (int)Sequence.Scale(Index, value);

    /// <summary>The whole test's index of this segment's <paramref name="nth"/> own one (both from 0).</summary>
    public long GlobalIndex(long nth) => IsWhole ? nth : Sequence.GlobalIndex(Index, nth);

    /// <summary>
    /// k6's tuple "from a value": the sequence redrawn so that each segment's length is its share of
    /// <paramref name="value"/> things, leaving out segments whose share is none. Work shared out by this tuple goes
    /// only to segments that have some of those things: a shared-iterations scenario's iterations go only to instances
    /// with VUs, an arrival-rate scenario's arrivals only to instances with maxVUs. Null when this segment has none.
    /// </summary>
    public ExecutionTuple? ForValue(long value)
    {
        if (value < 1)
        {
            return null;
        }
        if (IsWhole || value % Sequence.CommonDenominator == 0)
        {
            return this;
        }
        var segments = new List<ExecutionSegment>();
        var index = -1;
        long before = 0;
        for (var i = 0; i < Sequence.Segments.Count; i++)
        {
            var share = Sequence.Scale(i, value);
            if (share == 0)
            {
                continue;
            }
            if (i == Index)
            {
                index = segments.Count;
            }
            segments.Add(new ExecutionSegment(new Fraction(before, value), new Fraction(before + share, value)));
            before += share;
        }
        return index < 0 ? null : new ExecutionTuple(ExecutionSegmentSequence.Filled(segments, segments[index]), index);
    }

    /// <summary>"1/3:2/3 of 0,1/3,2/3,1", or "0:1" for the whole test.</summary>
    public override string ToString() => IsWhole ? Segment.ToString() : $"{Segment} of {Sequence}";
}
