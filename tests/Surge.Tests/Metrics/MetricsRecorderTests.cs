using Surge.Metrics;

namespace Surge.Tests.Metrics;

public sealed class MetricsRecorderTests
{
    [Fact]
    public void Concurrent_writers_lose_nothing_while_the_collector_swaps_buffers()
    {
        var registry = new MetricRegistry();
        using var recorder = new MetricsRecorder(registry);
        var counter = registry.GetSeries(BuiltinMetrics.HttpReqs, TagSet.Empty);
        var trend = registry.GetSeries(BuiltinMetrics.HttpReqDuration, TagSet.Empty);
        const int writers = 4;
        const int samplesEach = 200_000;
        var intervalCounts = 0.0;

        var threads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            for (var i = 0; i < samplesEach; i++)
            {
                using var writer = recorder.BeginWrite();
                writer.AddCounter(counter, 1);
                writer.AddTrendFixed(trend, i % 1000);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        while (threads.Any(t => t.IsAlive))
        {
            intervalCounts += recorder.Collect(TimeSpan.Zero, TimeSpan.Zero).Aggregate(BuiltinMetrics.HttpReqs, TagSet.Empty, intervalOnly: true).Sum;
        }
        var final = recorder.Collect(TimeSpan.Zero, TimeSpan.Zero);
        intervalCounts += final.Aggregate(BuiltinMetrics.HttpReqs, TagSet.Empty, intervalOnly: true).Sum;

        Assert.Equal(writers * samplesEach, final.Aggregate(BuiltinMetrics.HttpReqs, TagSet.Empty).Sum);
        Assert.Equal(writers * samplesEach, intervalCounts);
        var histogram = final.Aggregate(BuiltinMetrics.HttpReqDuration, TagSet.Empty).Histogram!;
        Assert.Equal(writers * samplesEach, histogram.TotalCount);
        Assert.Equal(writers * (long)samplesEach / 1000 * (999 * 1000 / 2), histogram.Sum);
    }

    [Fact]
    public void Tag_sets_beyond_the_cap_fold_into_one_overflow_series_with_a_warning()
    {
        var registry = new MetricRegistry(maxSeriesPerMetric: 3);

        var ids = Enumerable.Range(0, 10).Select(i => registry.GetSeries(BuiltinMetrics.HttpReqs, TagSet.From([new("url", $"/items/{i}")]))).ToList();

        Assert.Equal(3, ids.Take(3).Distinct().Count());
        Assert.Single(ids.Skip(3).Distinct());
        Assert.Equal(MetricRegistry.OverflowTags, registry.GetSeriesInfo(ids[5]).Tags);
        Assert.Single(registry.Warnings);
        Assert.Contains("http_reqs", registry.Warnings[0], StringComparison.Ordinal);
    }
}
