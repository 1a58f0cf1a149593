using Surge.Health;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Tests.Health;

public sealed class GeneratorSaturationTests
{
    private static readonly string Cpu = BuiltinMetrics.GeneratorCpu.Name;
    private static readonly string Lag = BuiltinMetrics.SchedulerLag.Name;

    /// <summary>One-second slices, each with its generator CPU share and its mean timer lag (ms).</summary>
    private static List<TimelinePoint> Seconds(params (double Cpu, double Lag)[] slices) =>
    [
        .. slices.Select((s, i) => Point(TimeSpan.FromSeconds(i), TimeSpan.FromSeconds(1), s.Cpu, s.Lag)),
    ];

    private static TimelinePoint Point(TimeSpan start, TimeSpan length, double cpu, double lag) => new()
    {
        Start = start,
        Length = length,
        EncodedDuration = new Histogram().ToBase64(),
        Series = new Dictionary<string, SliceStats>
        {
            [Cpu] = new(1, cpu, cpu, cpu),
            // Ten probes a second, all equally late.
            [Lag] = new(10, lag * 10, lag, lag),
        },
    };

    [Fact]
    public void Two_saturated_seconds_are_not_enough_to_call_the_generator_the_bottleneck()
    {
        var timeline = Seconds((0.3, 1), (0.95, 1), (0.99, 1), (0.3, 1), (0.3, 1));

        Assert.Empty(GeneratorSaturation.Spans(timeline));
        Assert.Null(GeneratorSaturation.Describe(GeneratorSaturation.Spans(timeline)));
    }

    [Fact]
    public void Three_saturated_seconds_make_one_span_from_the_first_to_the_end_of_the_last()
    {
        var timeline = Seconds((0.3, 1), (0.2, 1), (0.9, 1), (0.97, 2), (1.0, 3), (0.4, 1));

        var span = Assert.Single(GeneratorSaturation.Spans(timeline));

        Assert.Equal(TimeSpan.FromSeconds(2), span.Start);
        Assert.Equal(TimeSpan.FromSeconds(5), span.End);
        Assert.Equal(1.0, span.PeakCpu);
        Assert.Equal(3, span.PeakLag!.Value, 9);
    }

    [Fact]
    public void A_late_timer_alone_saturates_a_second_and_exactly_ten_ms_does_not()
    {
        var lagging = Seconds((0.2, 10.5), (0.2, 30), (0.2, 12), (0.2, 1));
        var atTheBound = Seconds((0.2, 10), (0.2, 10), (0.2, 10), (0.2, 10));

        var span = Assert.Single(GeneratorSaturation.Spans(lagging));
        Assert.Equal((TimeSpan.Zero, TimeSpan.FromSeconds(3)), (span.Start, span.End));
        Assert.Empty(GeneratorSaturation.Spans(atTheBound));
    }

    [Fact]
    public void A_calm_second_between_saturated_stretches_splits_them_and_only_the_long_enough_ones_count()
    {
        var timeline = Seconds((0.95, 1), (0.95, 1), (0.2, 1), (0.95, 1), (0.95, 1), (0.95, 1), (0.95, 1));

        var span = Assert.Single(GeneratorSaturation.Spans(timeline));

        Assert.Equal((TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(7)), (span.Start, span.End));
    }

    [Fact]
    public void One_coarse_slice_of_four_seconds_after_downsampling_counts_by_its_average()
    {
        // Two saturated seconds and two calm ones merged into one 4 s slice average 0.6: not saturated.
        var merged = Point(TimeSpan.Zero, TimeSpan.FromSeconds(4), 0, 1) with
        {
            Series = new Dictionary<string, SliceStats> { [Cpu] = new(4, 0.95 + 0.95 + 0.25 + 0.25, 0.25, 0.95) },
        };
        var busy = merged with { Start = TimeSpan.FromSeconds(4), Series = new Dictionary<string, SliceStats> { [Cpu] = new(4, 3.8, 0.9, 1) } };

        var span = Assert.Single(GeneratorSaturation.Spans([merged, busy]));

        Assert.Equal((TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)), (span.Start, span.End));
    }

    [Fact]
    public void Slices_a_little_short_of_a_second_each_still_make_three_seconds()
    {
        var timeline = Enumerable.Range(0, 3)
            .Select(i => Point(TimeSpan.FromMilliseconds(970 * i), TimeSpan.FromMilliseconds(970), 0.99, 1))
            .ToList();

        Assert.Single(GeneratorSaturation.Spans(timeline));
    }

    [Fact]
    public void A_timeline_without_the_generator_series_never_claims_saturation()
    {
        var timeline = Enumerable.Range(0, 10)
            .Select(i => new TimelinePoint { Start = TimeSpan.FromSeconds(i), Length = TimeSpan.FromSeconds(1), EncodedDuration = new Histogram().ToBase64() })
            .ToList();

        Assert.Empty(GeneratorSaturation.Spans(timeline));
    }

    [Fact]
    public void The_sentence_names_the_span_and_says_the_figures_after_its_start_describe_surge()
    {
        var timeline = Seconds([.. Enumerable.Repeat((0.2, 1.0), 12), .. Enumerable.Repeat((0.98, 35.0), 28), (0.2, 1.0)]);

        var text = GeneratorSaturation.Describe(GeneratorSaturation.Spans(timeline));

        Assert.Equal(
            "the generator was the bottleneck from 0:12 to 0:40: figures after 0:12 describe Surge, not the server "
            + "(CPU at 98% of what it may use, its 1 ms timer 35 ms late)",
            text);
    }
}
