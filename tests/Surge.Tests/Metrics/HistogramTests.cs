using Surge.Metrics;

namespace Surge.Tests.Metrics;

public sealed class HistogramTests
{
    private const int SampleCount = 100_000;

    private static readonly double[] Percentiles = [0, 1, 50, 90, 95, 99, 99.9, 100];

    public static TheoryData<string> Distributions => ["uniform", "log-normal", "bimodal", "duplicates", "wide"];

    private static long[] Generate(string distribution, int count = SampleCount, int seed = 42)
    {
        var random = new Random(seed);
        var values = new long[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = distribution switch
            {
                "uniform" => random.NextInt64(0, 1_000_000),
                // Microsecond latencies around 2 ms with a long tail.
                "log-normal" => (long)Math.Exp(Math.Log(2_000) + (0.8 * Gaussian(random))),
                // Fast cache hits near 300 µs and slow misses near 80 ms.
                "bimodal" => random.Next(10) < 7
                    ? (long)Math.Max(1, 300 + (40 * Gaussian(random)))
                    : (long)Math.Max(1, 80_000 + (9_000 * Gaussian(random))),
                "duplicates" => random.Next(4) switch { 0 => 5, 1 => 1_999, 2 => 250_001, _ => 77_777_777 },
                "wide" => (long)Math.Pow(2, random.NextDouble() * 40),
                _ => throw new ArgumentOutOfRangeException(nameof(distribution), distribution, null),
            };
        }
        return values;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static Histogram RecordAll(IEnumerable<long> values)
    {
        var histogram = new Histogram();
        foreach (var value in values)
        {
            histogram.Record(value);
        }
        return histogram;
    }

    private static long NearestRank(long[] sorted, double percentile)
    {
        var rank = (long)Math.Max(1m, Math.Ceiling((decimal)percentile * sorted.Length / 100m));
        return sorted[rank - 1];
    }

    private static void AssertSameHistogram(Histogram expected, Histogram actual)
    {
        Assert.Equal(expected.TotalCount, actual.TotalCount);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(expected.Sum, actual.Sum);
        Assert.Equal(expected.Mean, actual.Mean);
        Assert.Equal(expected.NonEmptyBuckets().ToList(), actual.NonEmptyBuckets().ToList());
        foreach (var p in Percentiles)
        {
            Assert.Equal(expected.ValueAtPercentile(p), actual.ValueAtPercentile(p));
        }
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Percentiles_match_the_nearest_rank_of_sorted_values_within_one_part_in_1024(string distribution)
    {
        var values = Generate(distribution);
        var histogram = RecordAll(values);
        var sorted = values.Order().ToArray();

        foreach (var p in Percentiles)
        {
            var exact = NearestRank(sorted, p);
            var reported = histogram.ValueAtPercentile(p);
            Assert.True(Math.Abs(reported - exact) <= exact / 1024.0,
                $"{distribution} p({p}): reported {reported}, exact {exact}");
        }
        Assert.Equal(sorted[0], histogram.ValueAtPercentile(0));
        Assert.Equal(sorted[^1], histogram.ValueAtPercentile(100));
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Min_max_mean_sum_and_count_are_exact(string distribution)
    {
        var values = Generate(distribution);
        var histogram = RecordAll(values);

        Assert.Equal(values.Length, histogram.TotalCount);
        Assert.Equal(values.Min(), histogram.Min);
        Assert.Equal(values.Max(), histogram.Max);
        Assert.Equal(values.Sum(), histogram.Sum);
        Assert.Equal((double)values.Sum() / values.Length, histogram.Mean);
    }

    [Fact]
    public void Values_below_2048_are_counted_exactly()
    {
        var histogram = new Histogram();
        for (long value = 0; value < 2048; value++)
        {
            histogram.RecordCount(value, value + 1);
        }

        var buckets = histogram.NonEmptyBuckets().ToList();
        Assert.Equal(2048, buckets.Count);
        for (var value = 0; value < 2048; value++)
        {
            Assert.Equal(new HistogramBucket(value, value, value + 1), buckets[value]);
        }
    }

    [Fact]
    public void Each_bucket_above_2048_has_1024_sub_buckets_twice_as_wide_as_the_previous_bucket()
    {
        var histogram = new Histogram();
        histogram.Record(2048);
        histogram.Record(4095);
        histogram.Record(4096);
        histogram.Record((1L << 41) + 5);

        var buckets = histogram.NonEmptyBuckets().ToList();

        Assert.Equal(
            [
                new HistogramBucket(2048, 2049, 1),
                new HistogramBucket(4094, 4095, 1),
                new HistogramBucket(4096, 4099, 1),
                new HistogramBucket(1L << 41, (1L << 41) + (1L << 31) - 1, 1),
            ],
            buckets);
    }

    [Fact]
    public void Every_sub_bucket_is_narrower_than_one_part_in_1024_of_its_values()
    {
        var random = new Random(7);
        var histogram = new Histogram();
        for (var i = 0; i < 20_000; i++)
        {
            histogram.Record(random.NextInt64(0, Histogram.HighestTrackableValue));
        }

        foreach (var bucket in histogram.NonEmptyBuckets())
        {
            Assert.True(bucket.HighestValue - bucket.LowestValue <= bucket.LowestValue / 1024, bucket.ToString());
        }
    }

    [Fact]
    public void Record_count_equals_recording_the_value_that_many_times()
    {
        var once = new Histogram();
        once.RecordCount(12_345, 7);
        once.RecordCount(3, 0);
        var repeated = RecordAll(Enumerable.Repeat(12_345L, 7));

        AssertSameHistogram(repeated, once);
        Assert.Throws<ArgumentOutOfRangeException>(() => once.RecordCount(1, -1));
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Merging_two_histograms_equals_recording_everything_into_one(string distribution)
    {
        var values = Generate(distribution, 20_000);
        var everything = RecordAll(values);
        var first = RecordAll(values.Take(7_000));
        var second = RecordAll(values.Skip(7_000).Concat(Generate("duplicates", 100)));
        var alsoEverything = RecordAll(values.Concat(Generate("duplicates", 100)));

        first.Add(second);

        AssertSameHistogram(alsoEverything, first);
        var intoEmpty = new Histogram();
        intoEmpty.Add(everything);
        intoEmpty.Add(new Histogram());
        AssertSameHistogram(everything, intoEmpty);
    }

    [Fact]
    public void Copy_is_independent_of_the_original()
    {
        var original = RecordAll(Generate("log-normal", 5_000));
        var copy = original.Copy();
        AssertSameHistogram(original, copy);

        copy.Record(1L << 30);
        original.Record(1);

        Assert.Equal(1L << 30, copy.Max);
        Assert.Equal(1, original.Min);
        Assert.Equal(original.TotalCount, copy.TotalCount);
        Assert.NotEqual(original.NonEmptyBuckets().ToList(), copy.NonEmptyBuckets().ToList());
    }

    [Theory]
    [MemberData(nameof(Distributions))]
    public void Round_trip_through_base64_preserves_every_statistic_and_bucket(string distribution)
    {
        var original = RecordAll(Generate(distribution, 20_000));
        original.Record(Histogram.HighestTrackableValue * 3);

        var decoded = Histogram.FromBase64(original.ToBase64());

        AssertSameHistogram(original, decoded);
        Assert.Equal(original.ToBase64(), decoded.ToBase64());
    }

    [Fact]
    public void Round_trip_of_an_empty_histogram_is_empty()
    {
        var decoded = Histogram.FromBase64(new Histogram().ToBase64());

        AssertSameHistogram(new Histogram(), decoded);
    }

    [Fact]
    public void Every_truncation_of_an_encoding_throws_format_exception()
    {
        var histogram = RecordAll([0, 5, 300, 2_047, 2_048, 1_000_000, 1L << 40, 1L << 40]);
        var bytes = Convert.FromBase64String(histogram.ToBase64());

        for (var length = 0; length < bytes.Length; length++)
        {
            var truncated = Convert.ToBase64String(bytes, 0, length);
            Assert.Throws<FormatException>(() => Histogram.FromBase64(truncated));
        }
    }

    [Theory]
    [InlineData("not base64 at all!", "base64")]
    [InlineData("AgAAAAA=", "version")] // version 2
    [InlineData("AQEFBQU=", "sum to 0")] // total 1, no sub-buckets
    [InlineData("AQEFBQUHAQ==", "min 5")] // min 5 but the only sub-bucket is index 6
    [InlineData("AQEFBQUGAg==", "count 2")] // the one sub-bucket claims more than the total
    [InlineData("AQEFBQUGAAYB", "count 0")] // an empty sub-bucket is never written
    [InlineData("AQEFBQX/////DwE=", "out of order")] // index far beyond the top
    [InlineData("AQEFBQWAgICAgICAgICAAQ==", "64 bits")] // an 11-byte varint
    [InlineData("AQAAAAE=", "empty histogram")] // total 0 but non-zero sum
    public void Corrupt_encodings_throw_format_exception_naming_the_problem(string encoded, string expectedInMessage)
    {
        var error = Assert.Throws<FormatException>(() => Histogram.FromBase64(encoded));

        Assert.Contains(expectedInMessage, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Random_byte_corruption_only_ever_throws_format_exception()
    {
        var bytes = Convert.FromBase64String(RecordAll(Generate("wide", 500)).ToBase64());
        var random = new Random(3);

        for (var trial = 0; trial < 2_000; trial++)
        {
            var corrupt = (byte[])bytes.Clone();
            corrupt[random.Next(corrupt.Length)] = (byte)random.Next(256);
            try
            {
                var decoded = Histogram.FromBase64(Convert.ToBase64String(corrupt));
                Assert.Equal(decoded.TotalCount, decoded.NonEmptyBuckets().Sum(b => b.Count));
            }
            catch (FormatException)
            {
            }
        }
    }

    [Fact]
    public void Values_above_the_top_are_counted_in_the_top_sub_bucket_while_max_stays_exact()
    {
        var histogram = new Histogram();
        histogram.Record(Histogram.HighestTrackableValue);
        histogram.Record(Histogram.HighestTrackableValue + 1);
        histogram.Record(1L << 50);

        Assert.Equal([new HistogramBucket(Histogram.HighestTrackableValue, long.MaxValue, 3)], histogram.NonEmptyBuckets());
        Assert.Equal(1L << 50, histogram.Max);
        Assert.Equal(Histogram.HighestTrackableValue, histogram.Min);
        Assert.Equal((2 * Histogram.HighestTrackableValue) + 1 + (1L << 50), histogram.Sum);
        Assert.Equal(1L << 50, histogram.ValueAtPercentile(99));
        Assert.Equal(3, histogram.TotalCount);
    }

    [Fact]
    public void Negative_values_count_as_zero()
    {
        var histogram = new Histogram();
        histogram.Record(-5);
        histogram.Record(long.MinValue);
        histogram.RecordCount(-1, 2);
        histogram.Record(10);

        Assert.Equal([new HistogramBucket(0, 0, 4), new HistogramBucket(10, 10, 1)], histogram.NonEmptyBuckets());
        Assert.Equal(0, histogram.Min);
        Assert.Equal(10, histogram.Max);
        Assert.Equal(10, histogram.Sum);
        Assert.Equal(2, histogram.Mean);
        Assert.Equal(0, histogram.ValueAtPercentile(50));
    }

    [Fact]
    public void Clear_then_reuse_behaves_like_a_new_histogram()
    {
        var recycled = RecordAll(Generate("wide", 5_000, seed: 1));
        recycled.Clear();
        AssertSameHistogram(new Histogram(), recycled);

        var values = Generate("bimodal", 5_000, seed: 2);
        foreach (var value in values)
        {
            recycled.Record(value);
        }

        AssertSameHistogram(RecordAll(values), recycled);
        Assert.Equal(RecordAll(values).ToBase64(), recycled.ToBase64());
    }

    [Fact]
    public void Recording_into_existing_buckets_allocates_nothing()
    {
        var values = Generate("log-normal", 10_000);
        var histogram = RecordAll(values);
        histogram.Clear();
        histogram.Record(values[0]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var value in values)
        {
            histogram.Record(value);
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal(values.Length + 1, histogram.TotalCount);
    }

    [Fact]
    public void Latencies_from_50_microseconds_to_100_milliseconds_use_eight_chunks()
    {
        var random = new Random(5);
        var histogram = new Histogram();
        for (var i = 0; i < 50_000; i++)
        {
            histogram.Record((long)(50 * Math.Pow(2_000, random.NextDouble())));
        }
        histogram.Record(50);
        histogram.Record(100_000);

        // Values 0..2047 use two chunks, buckets 1..6 (up to 131071) one each: 8 × (1024 longs + array header).
        Assert.Equal(FixedFootprint + (8 * ChunkBytes), histogram.EstimatedFootprintBytes);
    }

    [Fact]
    public void Worst_case_footprint_is_bounded_by_every_chunk_allocated()
    {
        var histogram = new Histogram();
        var empty = histogram.EstimatedFootprintBytes;
        for (var shift = 0; shift < 63; shift++)
        {
            histogram.Record(1L << shift);
        }
        histogram.Record(1000);

        Assert.Equal(FixedFootprint, empty);
        Assert.Equal(FixedFootprint + (33 * ChunkBytes) + 24 + 8, histogram.EstimatedFootprintBytes);
    }

    private const long ChunkBytes = 24 + (1024 * 8);
    private const long FixedFootprint = 16 + (5 * 8) + 24 + (34 * 8);

    [Fact]
    public void An_empty_histogram_answers_zero_for_every_statistic()
    {
        var histogram = new Histogram();

        Assert.Equal(0, histogram.TotalCount);
        Assert.Equal(0, histogram.Min);
        Assert.Equal(0, histogram.Max);
        Assert.Equal(0, histogram.Sum);
        Assert.Equal(0, histogram.Mean);
        Assert.Empty(histogram.NonEmptyBuckets());
        foreach (var p in Percentiles)
        {
            Assert.Equal(0, histogram.ValueAtPercentile(p));
        }
    }

    [Fact]
    public void Percentiles_outside_0_to_100_are_rejected()
    {
        var histogram = RecordAll([1, 2, 3]);

        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.ValueAtPercentile(-0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.ValueAtPercentile(100.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.ValueAtPercentile(double.NaN));
    }
}
