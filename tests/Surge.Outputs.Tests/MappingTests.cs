using Surge.Metrics;
using Surge.Results;

namespace Surge.Outputs.Tests;

public sealed class MappingTests
{
    [Theory]
    [InlineData("p(99)", "p99")]
    [InlineData("p(99.9)", "p999")]
    [InlineData("p(0.5)", "p05")]
    [InlineData("avg", "avg")]
    [InlineData("med", "med")]
    public void Trend_statistics_are_named_as_k6_names_them(string stat, string suffix) =>
        Assert.Equal(suffix, PrometheusMapping.Suffix(stat));

    [Fact]
    public void Cumulative_bucket_counts_match_a_sorted_list_within_one_histogram_cell()
    {
        var random = new Random(12);
        var micros = Enumerable.Range(0, 20_000).Select(_ => (long)Math.Exp(random.NextDouble() * Math.Log(30_000_000))).ToList();
        var histogram = new Histogram();
        micros.ForEach(histogram.Record);

        var counts = PrometheusMapping.CumulativeBucketCounts(histogram);

        Assert.Equal(micros.Count, counts[^1]);
        for (var i = 0; i < PrometheusMapping.SecondsBuckets.Length; i++)
        {
            var bound = PrometheusMapping.SecondsBuckets[i] * 1_000_000;
            var atMost = micros.Count(v => v <= bound);
            var nearBound = micros.Count(v => v > bound && v <= bound * (1 + (1.0 / 1024)));
            Assert.InRange(counts[i], atMost, atMost + nearBound);
        }
    }

    [Fact]
    public void Counters_rates_gauges_and_time_trends_get_k6s_prometheus_names_and_base_units()
    {
        var mapping = new PrometheusMapping(["p(95)", "count"]);
        var tags = TagSet.From([new("method", "GET"), new("status", "200"), new("group", ""), new("my-tag", "x")]);
        MetricAggregate Aggregate(MetricKind kind, Action<MetricAggregate> fill)
        {
            var aggregate = new MetricAggregate(kind);
            fill(aggregate);
            return aggregate;
        }
        mapping.Add(new OutputInterval(DateTimeOffset.UnixEpoch, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1),
        [
            new(BuiltinMetrics.HttpReqs, tags, Aggregate(MetricKind.Counter, a => a.AddCounter(3))),
            new(BuiltinMetrics.HttpReqFailed, tags, Aggregate(MetricKind.Rate, a => { a.AddRate(true); a.AddRate(false, 3); })),
            new(BuiltinMetrics.Vus, TagSet.Empty, Aggregate(MetricKind.Gauge, a => a.SetGauge(7, 1))),
            new(BuiltinMetrics.HttpReqDuration, tags, Aggregate(MetricKind.Trend, a => { a.AddTrend(2); a.AddTrend(4); })),
        ], []));

        var samples = mapping.Samples().ToList();
        double Value(string name) => samples.Single(s => s.Name == name && s.Labels.All(l => l.Key != "le")).Value;

        Assert.Equal(3, Value("k6_http_reqs_total"));
        Assert.Equal(0.25, Value("k6_http_req_failed_rate"));
        Assert.Equal(7, Value("k6_vus"));
        Assert.Equal(0.004, Value("k6_http_req_duration_p95"), 6);
        Assert.Equal(2, Value("k6_http_req_duration_count"));
        Assert.Equal(0.006, Value("k6_http_req_duration_seconds_sum"), 9);
        Assert.Equal(2, Value("k6_http_req_duration_seconds_count"));
        Assert.Equal(["method", "my_tag", "status"], samples.First(s => s.Name == "k6_http_reqs_total").Labels.Select(l => l.Key));
        var buckets = samples.Where(s => s.Name == "k6_http_req_duration_seconds_bucket").ToDictionary(s => s.Labels.Single(l => l.Key == "le").Value, s => s.Value);
        Assert.Equal((0, 1, 2, 2), (buckets["0.001"], buckets["0.0025"], buckets["0.005"], buckets["+Inf"]));
    }

    [Fact]
    public void Influx_lines_escape_what_line_protocol_needs_and_carry_the_intervals_time_in_milliseconds()
    {
        var output = new InfluxDbOutput("influxdb", InfluxDbOptions.From("influxdb", "http://127.0.0.1:1/k6", new Dictionary<string, string>()));
        var counter = new MetricAggregate(MetricKind.Counter);
        counter.AddCounter(5);
        var tags = TagSet.From([new("name", "GET /a b,c=d"), new("url", "http://x/a"), new("group", "")]);
        var time = new DateTimeOffset(2026, 12, 1, 21, 0, 0, 250, TimeSpan.Zero);

        var lines = output.Lines(new OutputInterval(time, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), [new(BuiltinMetrics.HttpReqs, tags, counter)], []));

        Assert.Equal($"http_reqs,name=GET\\ /a\\ b\\,c\\=d value=5,url=\"http://x/a\" {time.ToUnixTimeMilliseconds()}\n", lines);
        output.Dispose();
    }
}
