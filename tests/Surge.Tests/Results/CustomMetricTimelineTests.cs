using Surge.Metrics;
using Surge.Results;

namespace Surge.Tests.Results;

/// <summary>The test's own metrics over time, each slice checked against what was recorded into it.</summary>
public sealed class CustomMetricTimelineTests : IDisposable
{
    private static readonly DateTimeOffset StartedAt = new(2026, 12, 2, 1, 0, 0, TimeSpan.Zero);
    private static readonly MetricDefinition Orders = new("orders_placed", MetricKind.Counter);
    private static readonly MetricDefinition CheckoutTime = new("checkout_time", MetricKind.Trend, MetricContains.Time);
    private static readonly MetricDefinition PaymentOk = new("payment_ok", MetricKind.Rate);
    private static readonly MetricDefinition CartSize = new("cart_size", MetricKind.Gauge);

    private readonly MetricRegistry _registry = new();
    private readonly MetricsRecorder _recorder;
    private readonly TimelineRecorder _timeline = new(StartedAt, custom: [Orders, CheckoutTime, PaymentOk, CartSize]);
    private TimeSpan _elapsed;

    public CustomMetricTimelineTests()
    {
        foreach (var metric in new[] { Orders, CheckoutTime, PaymentOk, CartSize })
        {
            _registry.Define(metric);
        }
        _recorder = new MetricsRecorder(_registry);
    }

    public void Dispose() => _recorder.Dispose();

    private static readonly TagSet[] Regions = [TagSet.From([new("region", "eu")]), TagSet.From([new("region", "us")])];

    private void Record(Action<SampleWriter> record)
    {
        using var writer = _recorder.BeginWrite();
        record(writer);
    }

    private void Interval(TimeSpan length)
    {
        _elapsed += length;
        _timeline.Add(_recorder.Collect(_elapsed, length));
    }

    private static long NearestRank(double[] sorted, double percentile) =>
        (long)Math.Round(sorted[(int)Math.Max(1, Math.Ceiling(percentile * sorted.Length / 100)) - 1] * MetricAggregate.TrendScale);

    [Fact]
    public void A_counter_per_slice_adds_up_to_its_total_and_reads_as_its_count_per_second()
    {
        var perSecond = new[] { 5, 40, 0, 17, 123 };
        foreach (var count in perSecond)
        {
            for (var i = 0; i < count; i++)
            {
                Record(w => w.AddCounter(_registry.GetSeries(Orders, Regions[i % 2]), 1));
            }
            Interval(TimeSpan.FromSeconds(1));
        }

        var points = _timeline.ToTimeline();
        Assert.Equal(perSecond.Length, points.Count);
        Assert.Equal(perSecond.Sum(), points.Sum(p => p.Find(Orders.Name)?.Sum ?? 0));
        for (var i = 0; i < perSecond.Length; i++)
        {
            // An interval with nothing counted has no entry: its chart shows a gap, not a measured zero.
            Assert.Equal(perSecond[i] == 0 ? null : perSecond[i], points[i].Find(Orders.Name)?.Sum / points[i].Length.TotalSeconds);
        }
    }

    [Fact]
    public void A_trends_percentiles_per_slice_match_the_sorted_samples_of_that_slice()
    {
        var random = new Random(11);
        var slices = new List<double[]>();
        for (var s = 0; s < 4; s++)
        {
            var samples = Enumerable.Range(0, 500 + (s * 300)).Select(_ => Math.Round(random.NextDouble() * (s + 1) * 400, 3)).ToArray();
            for (var i = 0; i < samples.Length; i++)
            {
                var value = samples[i];
                Record(w => w.AddTrend(_registry.GetSeries(CheckoutTime, Regions[i % 2]), value));
            }
            slices.Add(samples);
            Interval(TimeSpan.FromSeconds(1));
        }

        var points = _timeline.ToTimeline();
        for (var s = 0; s < slices.Count; s++)
        {
            var sorted = slices[s].Order().ToArray();
            var stats = points[s].Find(CheckoutTime.Name)!.Value;
            Assert.Equal(sorted.Length, stats.Count);
            foreach (var p in new[] { 50.0, 95, 99 })
            {
                var exact = NearestRank(sorted, p);
                var observed = (long)Math.Round(stats.Percentile(p)!.Value * MetricAggregate.TrendScale);
                Assert.InRange(observed, exact, exact + Math.Max(1, exact / 1024));
            }
        }
    }

    [Fact]
    public void Joining_two_slices_gives_the_percentiles_of_one_histogram_of_both()
    {
        var random = new Random(7);
        var all = new Histogram();
        foreach (var scale in new[] { 50.0, 900.0 })
        {
            for (var i = 0; i < 1000; i++)
            {
                var value = Math.Round(random.NextDouble() * scale, 3);
                all.Record((long)Math.Round(value * MetricAggregate.TrendScale));
                Record(w => w.AddTrend(_registry.GetSeries(CheckoutTime, TagSet.Empty), value));
            }
            Interval(TimeSpan.FromSeconds(1));
        }

        var points = _timeline.ToTimeline();
        var joined = TimelineRecorder.Join(points[0], points[1]).Find(CheckoutTime.Name)!.Value;
        Assert.Equal(2000, joined.Count);
        foreach (var p in new[] { 50.0, 90, 95, 99, 100 })
        {
            Assert.Equal(all.ValueAtPercentile(p) / MetricAggregate.TrendScale, joined.Percentile(p));
        }
        // Two machines measuring the same slice merge the same way.
        var overlaid = TimelineRecorder.Overlay(points, StartedAt, StartedAt, TimeSpan.FromSeconds(1)).Find(CheckoutTime.Name)!.Value;
        Assert.Equal(all.ValueAtPercentile(95) / MetricAggregate.TrendScale, overlaid.Percentile(95));
    }

    [Fact]
    public void A_rates_share_is_passes_over_total_exactly_after_slices_join()
    {
        // 9 of 10 pass in the first slice, 1 of 90 in the second: the joined share is 10/100, not the mean 0.455 of shares.
        foreach (var (passes, total) in new[] { (9, 10), (1, 90) })
        {
            for (var i = 0; i < total; i++)
            {
                var passed = i < passes;
                Record(w => w.AddRate(_registry.GetSeries(PaymentOk, Regions[i % 2]), passed));
            }
            Interval(TimeSpan.FromSeconds(1));
        }

        var points = _timeline.ToTimeline();
        Assert.Equal(0.9, points[0].Find(PaymentOk.Name)!.Value.Mean, 12);
        Assert.Equal(1 / 90.0, points[1].Find(PaymentOk.Name)!.Value.Mean, 12);
        var joined = TimelineRecorder.Join(points[0], points[1]).Find(PaymentOk.Name)!.Value;
        Assert.Equal((100, 10.0), (joined.Count, joined.Sum));
        Assert.Equal(0.1, joined.Mean, 12);
    }

    [Fact]
    public void A_gauge_keeps_its_last_reading_and_extremes_per_slice_and_only_custom_trends_carry_a_histogram()
    {
        Record(w =>
        {
            w.SetGauge(_registry.GetSeries(CartSize, TagSet.Empty), 3);
            w.SetGauge(_registry.GetSeries(CartSize, TagSet.Empty), 8);
            w.SetGauge(_registry.GetSeries(CartSize, TagSet.Empty), 5);
            w.AddTrend(_registry.GetSeries(BuiltinMetrics.GeneratorCpu, TagSet.Empty), 0.5);
            w.AddTrend(_registry.GetSeries(CheckoutTime, TagSet.Empty), 12);
        });
        Interval(TimeSpan.FromSeconds(1));

        var point = _timeline.ToTimeline().Single();
        Assert.Equal(new SliceStats(1, 5, 3, 8), point.Find(CartSize.Name));
        Assert.Null(point.Find(BuiltinMetrics.GeneratorCpu.Name)!.Value.EncodedHistogram);
        Assert.Equal(12, point.Find(CheckoutTime.Name)!.Value.Percentile(99));
    }

    [Fact]
    public async Task A_run_follows_the_tests_own_metrics_on_its_timeline_and_loses_no_count_and_no_sample()
    {
        var samples = new System.Collections.Concurrent.ConcurrentBag<double>();
        var iterations = 0;
        var summary = await Load.Plan()
            .Counter("orders")
            .Trend("checkout")
            .Scenario("shop", s => s.Iterations(vus: 4, iterations: 400).Run(ctx =>
            {
                var value = Interlocked.Increment(ref iterations) % 97 * 1.5;
                samples.Add(value);
                ctx.Count("orders", 2);
                ctx.Trend("checkout", value);
                return Task.CompletedTask;
            }))
            .Build()
            .RunAsync();

        Assert.NotEmpty(summary.Timeline);
        Assert.Equal(800, summary.Timeline.Sum(p => p.Find("orders")?.Sum ?? 0));
        var all = summary.Timeline.Aggregate(TimelineRecorder.Join).Find("checkout")!.Value;
        Assert.Equal(400, all.Count);
        var sorted = samples.Order().ToArray();
        foreach (var p in new[] { 50.0, 95, 99 })
        {
            var exact = NearestRank(sorted, p);
            var observed = (long)Math.Round(all.Percentile(p)!.Value * MetricAggregate.TrendScale);
            Assert.InRange(observed, exact, exact + Math.Max(1, exact / 1024));
        }
    }
}
