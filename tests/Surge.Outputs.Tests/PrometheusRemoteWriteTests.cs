using System.Globalization;
using Surge.Outputs.Tests.Support;
using Surge.Tests.Support;

namespace Surge.Outputs.Tests;

public sealed class PrometheusRemoteWriteTests : IAsyncLifetime
{
    private Backend _prometheus = null!;

    public async Task InitializeAsync() => _prometheus = await Backend.PrometheusAsync();

    public Task DisposeAsync()
    {
        _prometheus.Dispose();
        return Task.CompletedTask;
    }

    private PrometheusRemoteWriteOutput Output(IReadOnlyDictionary<string, string>? environment = null) => new("prometheus-rw", PrometheusRemoteWriteOptions.From(
        "prometheus-rw", $"http://127.0.0.1:{_prometheus.Port.ToString(CultureInfo.InvariantCulture)}/api/v1/write",
        environment ?? new Dictionary<string, string> { ["K6_PROMETHEUS_RW_PUSH_INTERVAL"] = "1s", ["K6_PROMETHEUS_RW_TREND_STATS"] = "p(95),p(99),count" }));

    private async Task<double> SingleAsync(string query)
    {
        var result = await _prometheus.PromQueryAsync(query);
        return Assert.Single(result).Value;
    }

    [Fact]
    public async Task The_sum_of_k6_http_reqs_total_for_a_testid_is_the_servers_request_count()
    {
        using var server = new CannedResponseServer();
        var testid = Runs.NewTestId();
        using var output = Output();

        var summary = await TestRun.RunAsync(Runs.ThreeSeconds(server, testid), new RunSettings { Outputs = [output] });

        Assert.Empty(summary.Warnings);
        Assert.True(server.Requests > 0);
        Assert.Equal(server.Requests, await SingleAsync($"sum(k6_http_reqs_total{{testid=\"{testid}\"}})"));
        Assert.Equal(server.Requests, await SingleAsync($"sum(k6_iterations_total{{testid=\"{testid}\"}})"));
        Assert.Equal(server.Requests, await SingleAsync($"sum(k6_http_req_duration_seconds_count{{testid=\"{testid}\"}})"));
        Assert.Equal(server.Requests, await SingleAsync($"sum(k6_http_req_duration_count{{testid=\"{testid}\"}})"));
        Assert.Equal(Runs.Count(summary, "data_received"), await SingleAsync($"sum(k6_data_received_total{{testid=\"{testid}\"}})"));
        Assert.Equal(0, await SingleAsync($"max(k6_http_req_failed_rate{{testid=\"{testid}\"}})"));
        Assert.True(await SingleAsync($"max_over_time(k6_vus_max{{testid=\"{testid}\"}}[5m])") >= 4); // the pre-allocated VUs
        Assert.InRange(await SingleAsync($"k6_vus{{testid=\"{testid}\"}}"), 0, 20);
        Assert.True(await SingleAsync($"sum(rate(k6_http_reqs_total{{testid=\"{testid}\"}}[1m]))") > 0);
    }

    [Fact]
    public async Task The_p95_gauge_is_the_runs_p95_and_histogram_quantile_over_the_buckets_lands_in_its_bucket()
    {
        using var server = new CannedResponseServer();
        var testid = Runs.NewTestId();
        using var output = Output();

        var summary = await TestRun.RunAsync(Runs.ThreeSeconds(server, testid), new RunSettings { Outputs = [output] });

        var p95 = Runs.P95Seconds(summary);
        Assert.Equal(p95, await SingleAsync($"k6_http_req_duration_p95{{testid=\"{testid}\"}}"), 9);
        // The histogram cell holding p95 may straddle a bound by 1/1024 of its value: either neighbouring bucket is exact.
        var lower = PrometheusMapping.SecondsBuckets.LastOrDefault(b => b < p95 / (1 + (1.0 / 1024)));
        var upper = PrometheusMapping.SecondsBuckets.First(b => b >= p95 * (1 + (1.0 / 1024)));
        var overRun = await SingleAsync($"histogram_quantile(0.95, sum by (le) (k6_http_req_duration_seconds_bucket{{testid=\"{testid}\"}}))");
        Assert.InRange(overRun, lower, upper);
        // The reference design's expression, over a rate window, gives a p95 of the same scale.
        var rated = await SingleAsync($"histogram_quantile(0.95, sum by (le) (rate(k6_http_req_duration_seconds_bucket{{testid=\"{testid}\"}}[1m])))");
        Assert.InRange(rated, 0, upper);
        Assert.Equal(summary.Find("http_req_duration")!.Total.Histogram!.Sum / 1e6, await SingleAsync($"sum(k6_http_req_duration_seconds_sum{{testid=\"{testid}\"}})"), 9);
    }

    [Fact]
    public async Task By_default_trends_become_a_p99_gauge_as_in_k6_and_the_last_seconds_arrive_with_the_final_flush()
    {
        using var server = new CannedResponseServer();
        var testid = Runs.NewTestId();
        using var output = Output(new Dictionary<string, string>());

        // Under the 5 s default push interval a 3 s run pushes only in the final flush.
        var summary = await TestRun.RunAsync(Runs.ThreeSeconds(server, testid), new RunSettings { Outputs = [output] });

        Assert.Empty(summary.Warnings);
        Assert.Equal(server.Requests, await SingleAsync($"sum(k6_http_reqs_total{{testid=\"{testid}\"}})"));
        Assert.Equal(summary.Find("http_req_duration")!.Total.Stat("p(99)", summary.Duration)!.Value / 1000,
            await SingleAsync($"k6_http_req_duration_p99{{testid=\"{testid}\"}}"), 9);
        Assert.Empty(await _prometheus.PromQueryAsync($"k6_http_req_duration_p95{{testid=\"{testid}\"}}"));
    }
}
