using Surge.Plans.Segments;

namespace Surge.Tests.Plans;

/// <summary>The segment arithmetic against k6's own test values (lib/execution_segment_test.go), and its invariants.</summary>
public sealed class ExecutionSegmentTests
{
    [Theory]
    [InlineData("0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0:0.3", 0, new long[] { 4, 3, 3 }, 10)]
    [InlineData("0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.3:0.5", 1, new long[] { 4, 6 }, 10)]
    [InlineData("0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.5:0.6", 2, new long[] { 10 }, 10)]
    [InlineData("0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.6:0.7", 3, new long[] { 10 }, 10)]
    [InlineData("0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.8:0.9", 8, new long[] { 10 }, 10)]
    [InlineData("0,0.3,0.5,0.6,0.7,0.8,0.9,1", "0.9:1", 9, new long[] { 10 }, 10)]
    [InlineData("0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0.9:1", 9, new long[] { 10 }, 10)]
    [InlineData("0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0:0.2", 1, new long[] { 4, 6 }, 10)]
    [InlineData("0,0.2,0.5,0.6,0.7,0.8,0.9,1", "0.6:0.7", 3, new long[] { 10 }, 10)]
    [InlineData("0,0.2,0.5", "0:0.2", 3, new long[] { 6, 4 }, 10)]
    [InlineData("0,0.2,0.5", "0.2:0.5", 1, new long[] { 4, 2, 4 }, 10)]
    [InlineData("0,2/5,4/5", "0:2/5", 0, new long[] { 3, 2 }, 5)]
    [InlineData("0,2/5,4/5", "2/5:4/5", 1, new long[] { 3, 2 }, 5)]
    [InlineData(null, "0:0.2", 1, new long[] { 5 }, 5)]
    [InlineData(null, "0:1/5", 1, new long[] { 5 }, 5)]
    [InlineData(null, "0:2/10", 1, new long[] { 5 }, 5)]
    [InlineData(null, "0:0.4", 1, new long[] { 2, 3 }, 5)]
    [InlineData(null, "0:2/5", 1, new long[] { 2, 3 }, 5)]
    [InlineData(null, "2/5:4/5", 1, new long[] { 3, 2 }, 5)]
    [InlineData(null, "0:4/10", 1, new long[] { 2, 3 }, 5)]
    [InlineData(null, "1/10:5/10", 1, new long[] { 2, 2, 4, 2 }, 10)]
    public void Striped_offsets_are_k6s(string? sequence, string segment, long start, long[] offsets, long lcd)
    {
        var tuple = ExecutionTuple.Parse(segment, sequence);

        var striped = tuple.Sequence.StripedOffsets(tuple.Index);

        Assert.Equal(start, striped.Start);
        Assert.Equal(offsets, striped.Offsets);
        Assert.Equal(lcd, striped.CommonDenominator);
    }

    [Theory]
    [InlineData("0,0.3,0.5,0.6,0.7,0.8,0.9,1", 10)]
    [InlineData("0,0.1,0.5,0.6,0.7,0.8,0.9,1", 10)]
    [InlineData("0,1/3,5/6", 6)]
    [InlineData("0,1/3,4/7", 21)]
    public void The_common_denominator_is_k6s(string sequence, long lcd)
    {
        Assert.Equal(lcd, ExecutionSegmentSequence.Filled(ExecutionSegmentSequence.ParsePoints(sequence), ExecutionSegment.Whole).CommonDenominator);
    }

    [Theory]
    [InlineData("0:1/3", 50, 17)]
    [InlineData("0:1/3", 3, 1)]
    [InlineData("0:1/3", 2, 1)]
    [InlineData("0:1/3", 1, 1)]
    [InlineData("1/3:2/3", 50, 17)]
    [InlineData("1/3:2/3", 2, 1)]
    [InlineData("1/3:2/3", 1, 0)]
    [InlineData("2/3:1", 50, 16)]
    [InlineData("2/3:1", 3, 1)]
    [InlineData("2/3:1", 2, 0)]
    [InlineData("2/3:1", 0, 0)]
    public void Scaling_over_thirds_gives_k6s_shares(string segment, long value, long share)
    {
        Assert.Equal(share, ExecutionTuple.Parse(segment, "0,1/3,2/3,1").Scale(value));
    }

    [Theory]
    [InlineData("0:1/3", 20, 50, 18)]
    [InlineData("0:1/3", 2, 50, 25)]
    [InlineData("0:1/3", 1, 50, 50)]
    [InlineData("1/3:2/3", 20, 50, 17)]
    [InlineData("1/3:2/3", 2, 50, 25)]
    [InlineData("2/3:1", 20, 50, 15)]
    [InlineData("2/3:1", 3, 50, 16)]
    public void A_tuple_redrawn_from_a_value_gives_k6s_shares(string segment, long value, long scaled, long share)
    {
        Assert.Equal(share, ExecutionTuple.Parse(segment, "0,1/3,2/3,1").ForValue(value)!.Scale(scaled));
    }

    [Theory]
    [InlineData("1/3:2/3", 1)]
    [InlineData("2/3:1", 2)]
    [InlineData("2/3:1", 1)]
    public void A_segment_with_no_share_of_the_value_has_no_redrawn_tuple(string segment, long value)
    {
        Assert.Null(ExecutionTuple.Parse(segment, "0,1/3,2/3,1").ForValue(value));
    }

    [Fact]
    public void The_redrawn_sequence_is_k6s()
    {
        Assert.Equal("0,7/20,7/10,1", ExecutionTuple.Parse("0:1/3", "0,1/3,2/3,1").ForValue(20)!.Sequence.ToString());
    }

    [Theory]
    [InlineData("1/3:2/3", null, "1/3:2/3 of 0,1/3,2/3,1")]
    [InlineData("0.5", null, "0:1/2 of 0,1/2,1")]
    [InlineData("25%:50%", null, "1/4:1/2 of 0,1/4,1/2,1")]
    [InlineData("1/2:7/10", "0.5,0.7,1", "1/2:7/10 of 0,1/2,7/10,1")]
    [InlineData("0:1", null, "0:1")]
    [InlineData("", null, "0:1")]
    public void Segments_read_k6s_forms(string segment, string? sequence, string expected)
    {
        Assert.Equal(expected, ExecutionTuple.Parse(segment, sequence).ToString());
    }

    [Theory]
    [InlineData("2/3:1/3", null, "must start before it ends")]
    [InlineData("-1/2:1", null, "cannot start below 0")]
    [InlineData("0:3/2", null, "cannot end beyond 1")]
    [InlineData("a:b", null, "'a' is not a fraction")]
    [InlineData("1/0", null, "divides by zero")]
    [InlineData("0:1/3", "0.5", "at least 2 points")]
    [InlineData("0:1/2", "1,1", "must start before it ends")]
    [InlineData("0:1/2", "1/2,1/3", "must start before it ends")]
    [InlineData("0:1/2", "0,1,1/2", "must start before it ends")]
    [InlineData("0:1/2", "0,1/3,2/3,1", "not one of the sequence's segments (0:1/3, 1/3:2/3, 2/3:1)")]
    [InlineData(null, "0,1/2,1", "needs --execution-segment")]
    [InlineData("0:1/999999", "0,1/999999,1/999998,1", "common denominator above")]
    public void Bad_segments_and_sequences_are_refused_with_the_problem_named(string? segment, string? sequence, string problem)
    {
        var error = Assert.Throws<SegmentFormatException>(() => ExecutionTuple.Parse(segment, sequence));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void For_random_sequences_the_shares_sum_to_the_whole_and_the_striped_indexes_partition_it()
    {
        var random = new Random(15);
        for (var trial = 0; trial < 300; trial++)
        {
            var sequence = RandomSequence(random);
            var tuples = Enumerable.Range(0, sequence.Segments.Count)
                .Select(i => ExecutionTuple.Parse(sequence.Segments[i].ToString(), sequence.ToString()))
                .ToArray();
            var value = random.NextInt64(0, 5_000);

            Assert.Equal(value, tuples.Sum(t => t.Scale(value)));
            var owned = tuples.SelectMany(t => Enumerable.Range(0, (int)t.Scale(value)).Select(n => t.GlobalIndex(n))).ToList();
            owned.Sort();
            Assert.Equal(Enumerable.Range(0, (int)value).Select(i => (long)i), owned);
            foreach (var tuple in tuples)
            {
                // A share is within one of the exact fraction, and grows with the value without ever skipping.
                Assert.InRange(tuple.Scale(value) - (tuple.Segment.Length.ToDouble() * value), -1, 1);
                Assert.True(tuple.Scale(value + 1) - tuple.Scale(value) is 0 or 1);
            }
        }
    }

    [Fact]
    public void For_random_sequences_redrawn_tuples_share_out_everything_only_to_segments_with_a_share_of_the_value()
    {
        var random = new Random(16);
        for (var trial = 0; trial < 300; trial++)
        {
            var sequence = RandomSequence(random);
            var tuples = Enumerable.Range(0, sequence.Segments.Count)
                .Select(i => ExecutionTuple.Parse(sequence.Segments[i].ToString(), sequence.ToString()))
                .ToArray();
            var vus = random.NextInt64(1, 20);
            var iterations = random.NextInt64(vus, 2_000);

            var shares = tuples.Select(t => t.ForValue(vus)?.Scale(iterations) ?? 0).ToArray();

            Assert.Equal(iterations, shares.Sum());
            Assert.All(tuples.Zip(shares), pair => Assert.True(pair.First.Scale(vus) > 0 || pair.Second == 0));
        }
    }

    private static ExecutionSegmentSequence RandomSequence(Random random)
    {
        var denominator = random.Next(1, 13);
        var cuts = Enumerable.Range(1, denominator - 1).Where(_ => random.Next(2) == 0).ToList();
        var points = cuts.Select(c => $"{c}/{denominator}").Prepend("0").Append("1");
        return ExecutionSegmentSequence.Filled(ExecutionSegmentSequence.ParsePoints(string.Join(',', points)), ExecutionSegment.Whole);
    }
}
