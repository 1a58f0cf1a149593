using System.Globalization;
using Surge.Data;

namespace Surge.Tests.Data;

public sealed class FeederTests
{
    [Fact]
    public void Sequential_takes_from_8_threads_use_every_row_of_10000_exactly_once_then_report_exhaustion()
    {
        var feeder = new Feeder(Numbered(10_000), FeederMode.Sequential, OutOfDataPolicy.Stop);

        var taken = TakeOnThreads(feeder, threads: 8, takesPerThread: 2_000);

        Assert.Equal(Enumerable.Range(0, 10_000), taken.Order());
        Assert.False(feeder.TryTake(out _));
    }

    [Fact]
    public void Sequential_recycling_takes_from_8_threads_use_every_row_equally_often()
    {
        // Long enough for the threads to contend, so a lost or doubled counter step would show up as uneven counts.
        var feeder = new Feeder(Numbered(10_000), FeederMode.Sequential, OutOfDataPolicy.Recycle);

        var taken = TakeOnThreads(feeder, threads: 8, takesPerThread: 50_000);

        var counts = taken.CountBy(row => row).ToDictionary();
        Assert.Equal(10_000, counts.Count);
        Assert.All(counts.Values, count => Assert.Equal(40, count));
    }

    [Fact]
    public void Sequential_with_stop_keeps_failing_once_exhausted()
    {
        var feeder = new Feeder(Numbered(2), FeederMode.Sequential);

        Assert.Equal([0, 1], TakeRows(feeder, 2));
        Assert.All(Enumerable.Range(0, 5), attempt => Assert.False(feeder.TryTake(out _), $"take {attempt} after exhaustion"));
    }

    [Fact]
    public void Sequential_with_recycle_starts_over_after_the_last_row()
    {
        var feeder = new Feeder(Numbered(3), FeederMode.Sequential, OutOfDataPolicy.Recycle);

        Assert.Equal([0, 1, 2, 0, 1, 2, 0], TakeRows(feeder, 7));
    }

    [Fact]
    public void Circular_visits_rows_in_file_order_and_wraps()
    {
        var feeder = new Feeder(Numbered(4), FeederMode.Circular);

        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3, 0, 1], TakeRows(feeder, 10));
    }

    [Fact]
    public void Circular_takes_from_4_threads_visit_each_row_equally_often()
    {
        var feeder = new Feeder(Numbered(10), FeederMode.Circular);

        var taken = TakeOnThreads(feeder, threads: 4, takesPerThread: 250);

        Assert.Equal(1_000, taken.Count);
        Assert.All(taken.CountBy(row => row), pair => Assert.Equal(100, pair.Value));
    }

    [Fact]
    public void Random_takes_stay_in_range_and_hit_every_row_of_a_small_table_about_equally()
    {
        var feeder = new Feeder(Numbered(5), FeederMode.Random);

        var counts = TakeRows(feeder, 10_000).CountBy(row => row).ToDictionary();

        Assert.Equal([0, 1, 2, 3, 4], counts.Keys.Order());
        // Each count is binomial(10,000, 1/5): mean 2,000, standard deviation 40; 1,700..2,300 is over 7 deviations.
        Assert.All(counts.Values, count => Assert.InRange(count, 1_700, 2_300));
    }

    [Fact]
    public void Three_instance_segments_together_take_every_row_exactly_once()
    {
        var table = Numbered(10);
        var segments = Enumerable.Range(0, 3).Select(i => new InstanceSegment(i, 3)).ToArray();
        var takenBySegment = segments.Select(segment =>
        {
            var feeder = new Feeder(table, FeederMode.Sequential, OutOfDataPolicy.Stop, segment);
            var rows = new List<int>();
            while (feeder.TryTake(out var record))
            {
                rows.Add(int.Parse(record["n"], CultureInfo.InvariantCulture));
            }
            return rows;
        }).ToArray();

        Assert.Equal([0, 3, 6, 9], takenBySegment[0]);
        Assert.Equal([1, 4, 7], takenBySegment[1]);
        Assert.Equal([2, 5, 8], takenBySegment[2]);
        Assert.Equal(Enumerable.Range(0, 10), takenBySegment.SelectMany(rows => rows).Order());
    }

    [Fact]
    public void A_recycling_segment_starts_over_within_its_own_rows()
    {
        var feeder = new Feeder(Numbered(7), FeederMode.Sequential, OutOfDataPolicy.Recycle, new InstanceSegment(1, 3));

        Assert.Equal([1, 4, 1, 4, 1], TakeRows(feeder, 5));
    }

    [Theory]
    [InlineData(OutOfDataPolicy.Stop)]
    [InlineData(OutOfDataPolicy.Recycle)]
    public void An_instance_beyond_the_last_row_has_no_records_to_take(OutOfDataPolicy policy)
    {
        var feeder = new Feeder(Numbered(2), FeederMode.Sequential, policy, new InstanceSegment(2, 4));

        Assert.False(feeder.TryTake(out _));
    }

    [Fact]
    public void Circular_and_random_feeders_read_the_whole_table_whatever_the_segment()
    {
        var segment = new InstanceSegment(1, 3);
        var circular = new Feeder(Numbered(4), FeederMode.Circular, OutOfDataPolicy.Stop, segment);
        var random = new Feeder(Numbered(4), FeederMode.Random, OutOfDataPolicy.Stop, segment);

        Assert.Equal([0, 1, 2, 3], TakeRows(circular, 4));
        Assert.Equal([0, 1, 2, 3], TakeRows(random, 1_000).Distinct().Order());
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-1, 2)]
    [InlineData(2, 2)]
    public void A_segment_must_be_one_of_at_least_one_instance(int index, int count)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new InstanceSegment(index, count));
    }

    [Theory]
    [InlineData(FeederMode.Sequential, OutOfDataPolicy.Stop)]
    [InlineData(FeederMode.Sequential, OutOfDataPolicy.Recycle)]
    [InlineData(FeederMode.Circular, OutOfDataPolicy.Stop)]
    [InlineData(FeederMode.Random, OutOfDataPolicy.Stop)]
    public void Taking_a_record_and_reading_a_field_allocates_nothing(FeederMode mode, OutOfDataPolicy policy)
    {
        var feeder = new Feeder(Numbered(1_000), mode, policy, new InstanceSegment(0, 2));
        var field = feeder.Table.FieldIndex("n");
        var sum = TakeAndRead(feeder, field, 100);

        var before = GC.GetAllocatedBytesForCurrentThread();
        sum += TakeAndRead(feeder, field, 10_000);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(sum > 0);
    }

    [Fact]
    public void A_record_reads_values_by_field_name_or_by_resolved_index()
    {
        var table = DataTable.FromRows("inline", ["user", "password"], [["ann", "a1"], ["bob", "b2"]]);
        var feeder = new Feeder(table, FeederMode.Sequential);
        feeder.TryTake(out _);
        Assert.True(feeder.TryTake(out var record));

        Assert.Equal(1, record.Row);
        Assert.Equal("bob", record["user"]);
        Assert.Equal("b2", record[table.FieldIndex("password")]);
        Assert.True(record.TryGet("password", out var password));
        Assert.Equal("b2", password);
        Assert.False(record.TryGet("email", out _));
        var error = Assert.Throws<KeyNotFoundException>(() => record["email"]);
        Assert.Equal("inline has no field 'email'; its fields are user, password", error.Message);
    }

    [Fact]
    public void A_table_built_in_code_needs_named_fields_and_rows_of_their_width()
    {
        Assert.Throws<ArgumentException>(() => DataTable.FromRows("t", ["a", "a"], [["1", "2"]]));
        Assert.Throws<ArgumentException>(() => DataTable.FromRows("t", ["a", "b"], [["1", "2"], ["3"]]));
        Assert.Throws<ArgumentException>(() => DataTable.FromRows("t", ["a"], []));
    }

    /// <summary>A one-field table whose row r holds r, so a record's value is ground truth for its position.</summary>
    private static DataTable Numbered(int rows) =>
        DataTable.FromRows("numbers", ["n"], Enumerable.Range(0, rows).Select(r => new[] { r.ToString(CultureInfo.InvariantCulture) }));

    private static List<int> TakeRows(Feeder feeder, int takes)
    {
        var rows = new List<int>(takes);
        for (var i = 0; i < takes && feeder.TryTake(out var record); i++)
        {
            Assert.Equal(record.Row.ToString(CultureInfo.InvariantCulture), record["n"]);
            rows.Add(record.Row);
        }
        return rows;
    }

    /// <summary>Each thread takes until the feeder fails or it has taken its share; all start together.</summary>
    private static List<int> TakeOnThreads(Feeder feeder, int threads, int takesPerThread)
    {
        using var start = new Barrier(threads);
        var perThread = new List<int>[threads];
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            perThread[t] = TakeRows(feeder, takesPerThread);
        })).ToArray();
        foreach (var worker in workers)
        {
            worker.Start();
        }
        foreach (var worker in workers)
        {
            worker.Join();
        }
        return [.. perThread.SelectMany(rows => rows)];
    }

    private static long TakeAndRead(Feeder feeder, int field, int takes)
    {
        long sum = 0;
        for (var i = 0; i < takes; i++)
        {
            if (feeder.TryTake(out var record))
            {
                sum += record[field].Length + record["n"].Length;
            }
        }
        return sum;
    }
}
