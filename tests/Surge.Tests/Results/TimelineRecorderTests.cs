using Surge.Metrics;
using Surge.Plans;
using Surge.Results;
using Surge.Tests.Support;

namespace Surge.Tests.Results;

public sealed class TimelineRecorderTests
{
    /// <summary>Feeds the recorder the way the collector does, from a real recorder, with a synthetic clock.</summary>
    private sealed class SyntheticRun : IDisposable
    {
        private readonly MetricRegistry _registry = new();
        private readonly MetricsRecorder _recorder;
        private TimeSpan _elapsed;

        public SyntheticRun()
        {
            _recorder = new MetricsRecorder(_registry);
        }

        public static readonly DateTimeOffset StartedAt = new(2026, 12, 1, 23, 59, 59, 500, TimeSpan.Zero);

        public TimelineRecorder Timeline { get; } = new(StartedAt);

        public Histogram AllDurations { get; } = new();

        public long Requests { get; private set; }

        public long Failed { get; private set; }

        public Dictionary<int, long> Statuses { get; } = [];

        public long DataReceived { get; private set; }

        public void Request(int status, long durationMicroseconds, long bytes)
        {
            var tags = TagSet.From([new("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            using var writer = _recorder.BeginWrite();
            writer.AddCounter(_registry.GetSeries(BuiltinMetrics.HttpReqs, tags), 1);
            writer.AddTrendFixed(_registry.GetSeries(BuiltinMetrics.HttpReqDuration, tags), durationMicroseconds);
            writer.AddRate(_registry.GetSeries(BuiltinMetrics.HttpReqFailed, tags), status >= 500);
            writer.AddCounter(_registry.GetSeries(BuiltinMetrics.DataReceived, tags), bytes);
            AllDurations.Record(durationMicroseconds);
            Requests++;
            Failed += status >= 500 ? 1 : 0;
            Statuses[status] = Statuses.GetValueOrDefault(status) + 1;
            DataReceived += bytes;
        }

        /// <summary>What the generator sampler records each interval: its CPU share, GC pause ms (under two tag sets) and lag probes.</summary>
        public void Health(double cpu, double gcPauseMs, params double[] lagMs)
        {
            using var writer = _recorder.BeginWrite();
            writer.AddTrend(_registry.GetSeries(BuiltinMetrics.GeneratorCpu, TagSet.Empty), cpu);
            writer.AddCounter(_registry.GetSeries(BuiltinMetrics.GcPause, TagSet.From([new("generation", "0")])), gcPauseMs / 2);
            writer.AddCounter(_registry.GetSeries(BuiltinMetrics.GcPause, TagSet.From([new("generation", "2")])), gcPauseMs / 2);
            foreach (var lag in lagMs)
            {
                writer.AddTrend(_registry.GetSeries(BuiltinMetrics.SchedulerLag, TagSet.Empty), lag);
            }
        }

        public void Vus(int vus, int? vusMax = null)
        {
            using var writer = _recorder.BeginWrite();
            writer.SetGauge(_registry.GetSeries(BuiltinMetrics.Vus, TagSet.Empty), vus);
            writer.SetGauge(_registry.GetSeries(BuiltinMetrics.VusMax, TagSet.Empty), vusMax ?? vus);
        }

        public MetricsSnapshot Tick(TimeSpan length)
        {
            _elapsed += length;
            return _recorder.Collect(_elapsed, length);
        }

        public void Interval(TimeSpan length) => Timeline.Add(Tick(length));

        public void Dispose() => _recorder.Dispose();
    }

    [Fact]
    public void Each_interval_becomes_one_point_with_that_intervals_counts()
    {
        using var run = new SyntheticRun();
        run.Vus(3, vusMax: 4);
        run.Request(200, 1000, 100);
        run.Request(200, 3000, 100);
        run.Interval(TimeSpan.FromSeconds(1));
        run.Vus(5, vusMax: 8);
        run.Request(503, 2000, 50);
        run.Interval(TimeSpan.FromSeconds(1));
        run.Interval(TimeSpan.FromSeconds(0.25));

        var points = run.Timeline.ToTimeline();

        Assert.Equal(3, points.Count);
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], points.Select(p => p.Start));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.25)], points.Select(p => p.Length));
        Assert.Equal([2L, 1, 0], points.Select(p => p.Requests));
        Assert.Equal([0L, 1, 0], points.Select(p => p.FailedRequests));
        Assert.Equal([3, 5, 5], points.Select(p => p.Vus));
        Assert.Equal([4, 8, 8], points.Select(p => p.VusMax));
        var start = SyntheticRun.StartedAt;
        Assert.Equal([start, start.AddSeconds(1), start.AddSeconds(2)], points.Select(p => p.StartedAt));
        Assert.Equal(start.AddSeconds(2.25), points[2].EndedAt);
        Assert.Equal([200L, 50, 0], points.Select(p => p.DataReceived));
        Assert.Equal(new Dictionary<int, long> { [200] = 2 }, points[0].Statuses);
        Assert.Equal(new Dictionary<int, long> { [503] = 1 }, points[1].Statuses);
        Assert.Equal(2000, points[0].Duration().Mean);
        Assert.Equal(0, points[2].Duration().TotalCount);
        Assert.Equal(2.0, points[0].RequestsPerSecond);
    }

    [Fact]
    public void The_latest_point_is_the_last_interval_alone_even_when_points_span_two_intervals()
    {
        using var run = new SyntheticRun();
        Assert.Null(run.Timeline.Latest);
        for (var second = 0; second < TimelineRecorder.MaxPoints + 1; second++)
        {
            run.Request(200, 1000, 1);
            run.Interval(TimeSpan.FromSeconds(1));
        }
        run.Request(200, 1000, 1);
        run.Request(200, 1000, 1);
        run.Interval(TimeSpan.FromSeconds(1));

        var latest = run.Timeline.Latest!;

        Assert.Equal(2, run.Timeline.SnapshotsPerPoint);
        Assert.Equal(TimeSpan.FromSeconds(TimelineRecorder.MaxPoints + 1), latest.Start);
        Assert.Equal(TimeSpan.FromSeconds(1), latest.Length);
        Assert.Equal(2, latest.Requests);
        Assert.Equal(1 + 2, run.Timeline.ToTimeline()[^1].Requests); // the timeline's last point spans both intervals
    }

    [Fact]
    public void A_closing_snapshot_without_measurements_adds_no_point_but_one_with_requests_does()
    {
        using var run = new SyntheticRun();
        run.Request(200, 1000, 10);
        run.Interval(TimeSpan.FromSeconds(1));
        run.Vus(0);

        run.Timeline.AddFinal(run.Tick(TimeSpan.FromMilliseconds(40)));
        Assert.Single(run.Timeline.ToTimeline());

        run.Request(200, 1000, 10);
        run.Timeline.AddFinal(run.Tick(TimeSpan.FromMilliseconds(40)));
        Assert.Equal([1L, 1], run.Timeline.ToTimeline().Select(p => p.Requests));
    }

    [Fact]
    public void Followed_series_keep_per_slice_counts_sums_and_extremes_that_merge_exactly_when_the_timeline_halves()
    {
        using var run = new SyntheticRun();
        var seconds = TimelineRecorder.MaxPoints + 2;
        for (var second = 0; second < seconds; second++)
        {
            run.Health(cpu: second % 10 / 10.0, gcPauseMs: second % 3, 1 + (second % 5), 2 + (second % 5));
            run.Interval(TimeSpan.FromSeconds(1));
        }

        var points = run.Timeline.ToTimeline();
        var cpu = points.Select(p => p.Find(BuiltinMetrics.GeneratorCpu.Name)!.Value).ToList();
        var gc = points.Select(p => p.Find(BuiltinMetrics.GcPause.Name)!.Value).ToList();
        var lag = points.Select(p => p.Find(BuiltinMetrics.SchedulerLag.Name)!.Value).ToList();

        Assert.Equal(2, run.Timeline.SnapshotsPerPoint);
        // Point i covers seconds 2i and 2i+1: one CPU sample each, one GC total each (both tag sets together), two probes each.
        for (var i = 0; i < points.Count - 1; i++)
        {
            double Cpu(int second) => second % 10 / 10.0;
            Assert.Equal(2, cpu[i].Count);
            Assert.Equal(Cpu(2 * i) + Cpu((2 * i) + 1), cpu[i].Sum, 9);
            Assert.Equal(Math.Min(Cpu(2 * i), Cpu((2 * i) + 1)), cpu[i].Min, 9);
            Assert.Equal(Math.Max(Cpu(2 * i), Cpu((2 * i) + 1)), cpu[i].Max, 9);
            Assert.Equal(2, gc[i].Count);
            Assert.Equal(4, lag[i].Count);
        }
        Assert.Equal(Enumerable.Range(0, seconds).Sum(s => s % 3), gc.Sum(g => g.Sum), 9);
        Assert.Equal(Enumerable.Range(0, seconds).Sum(s => 3 + (2 * (s % 5))), lag.Sum(l => l.Sum), 9);
        Assert.Equal(6, lag.Max(l => l.Max));
        Assert.Equal(1, lag.Min(l => l.Min));
    }

    [Fact]
    public void A_recorder_follows_the_metrics_it_is_given_and_no_others()
    {
        var registry = new MetricRegistry();
        var orders = registry.Define(new MetricDefinition("orders_placed", MetricKind.Counter));
        using var recorder = new MetricsRecorder(registry);
        var timeline = new TimelineRecorder(DateTimeOffset.UnixEpoch, ["orders_placed"]);
        using (var writer = recorder.BeginWrite())
        {
            writer.AddCounter(registry.GetSeries(orders, TagSet.Empty), 3);
            writer.AddTrend(registry.GetSeries(BuiltinMetrics.GeneratorCpu, TagSet.Empty), 0.5);
        }

        timeline.Add(recorder.Collect(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        var point = Assert.Single(timeline.ToTimeline());
        Assert.Equal(new SliceStats(1, 3, 3, 3), point.Find("orders_placed"));
        Assert.Null(point.Find(BuiltinMetrics.GeneratorCpu.Name));
    }

    [Fact]
    public void A_full_timeline_merges_adjacent_pairs_and_doubles_the_width_of_later_points()
    {
        using var run = new SyntheticRun();
        for (var second = 0; second < TimelineRecorder.MaxPoints + 3; second++)
        {
            run.Vus(second);
            run.Request(200, 1000 + second, 1);
            run.Interval(TimeSpan.FromSeconds(1));
        }

        var points = run.Timeline.ToTimeline();

        Assert.Equal(2, run.Timeline.SnapshotsPerPoint);
        Assert.Equal((TimelineRecorder.MaxPoints / 2) + 2, points.Count);
        Assert.All(points.SkipLast(1), p => Assert.Equal(TimeSpan.FromSeconds(2), p.Length));
        Assert.Equal(TimeSpan.FromSeconds(1), points[^1].Length);
        Assert.All(points.SkipLast(1), p => Assert.Equal(2, p.Requests));
        Assert.Equal(1, points[0].Vus); // the later of the merged pair
        Assert.Equal(TimelineRecorder.MaxPoints + 2, points[^1].Vus);
    }

    [Fact]
    public void A_simulated_day_stays_within_the_bound_and_loses_no_request_and_no_latency()
    {
        using var run = new SyntheticRun();
        var day = (int)TimeSpan.FromDays(1).TotalSeconds;
        var maxCount = 0;
        for (var second = 0; second < day; second++)
        {
            if (second % 600 == 0)
            {
                run.Vus(second / 600);
            }
            for (var r = 0; r < 1 + (second % 3); r++)
            {
                var status = (second + r) % 97 == 0 ? 503 : (second + r) % 89 == 0 ? 404 : 200;
                run.Request(status, 200 + ((second * 7919L) + (r * 104729L)) % 2_000_000, 100 + r);
            }
            run.Interval(TimeSpan.FromSeconds(1));
            maxCount = Math.Max(maxCount, run.Timeline.Count);
        }

        var points = run.Timeline.ToTimeline();
        var merged = new Histogram();
        foreach (var point in points)
        {
            merged.Add(point.Duration());
        }

        Assert.True(maxCount <= TimelineRecorder.MaxPoints, $"{maxCount} points at some moment");
        Assert.Equal(128, run.Timeline.SnapshotsPerPoint);
        Assert.Equal(TimeSpan.Zero, points[0].Start);
        Assert.All(points.Zip(points.Skip(1)), pair => Assert.Equal(pair.First.Start + pair.First.Length, pair.Second.Start));
        Assert.Equal(TimeSpan.FromDays(1), points[^1].Start + points[^1].Length);
        Assert.All(points, p => Assert.Equal(SyntheticRun.StartedAt + p.Start, p.StartedAt)); // halving keeps the wall-clock stamps
        Assert.Equal(run.Requests, points.Sum(p => p.Requests));
        Assert.Equal(run.Failed, points.Sum(p => p.FailedRequests));
        Assert.Equal(run.DataReceived, points.Sum(p => p.DataReceived));
        foreach (var (status, count) in run.Statuses)
        {
            Assert.Equal(count, points.Sum(p => p.Statuses.GetValueOrDefault(status)));
        }
        Assert.Equal(run.AllDurations.ToBase64(), merged.ToBase64());
        foreach (var percentile in new[] { 50.0, 90, 99, 99.9 })
        {
            Assert.Equal(run.AllDurations.ValueAtPercentile(percentile), merged.ValueAtPercentile(percentile));
        }
        Assert.Equal(143, points[^1].Vus);
    }

    [Fact]
    public async Task A_real_runs_timeline_adds_up_to_its_request_count_and_what_the_server_answered()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new ConstantVusExecutor(2, TimeSpan.FromSeconds(1.5)), server.Url("hello"));

        var summary = await TestRun.RunAsync(plan);

        var timeline = summary.Timeline;
        Assert.NotEmpty(timeline);
        Assert.True(server.Requests > 0);
        Assert.Equal(server.Requests, timeline.Sum(p => p.Requests));
        Assert.Equal((long)summary.Find("http_reqs")!.Total.Sum, timeline.Sum(p => p.Requests));
        Assert.Equal(server.Requests, timeline.Sum(p => p.Statuses.GetValueOrDefault(200)));
        Assert.Equal((long)summary.Find("iterations")!.Total.Sum, timeline.Sum(p => p.Iterations));
        Assert.Equal(summary.Find("http_req_duration")!.Total.Histogram!.TotalCount, timeline.Sum(p => p.Duration().TotalCount));
        Assert.All(timeline.Zip(timeline.Skip(1)), pair => Assert.Equal(pair.First.Start + pair.First.Length, pair.Second.Start));
        Assert.True(timeline[^1].Start + timeline[^1].Length <= summary.Duration);
        Assert.All(timeline, p => Assert.Equal(summary.StartedAt + p.Start, p.StartedAt));
        Assert.Equal(TimeSpan.Zero, timeline[0].StartedAt.Offset); // UTC
        Assert.All(timeline, p => Assert.Equal(2, p.VusMax));
    }
}
