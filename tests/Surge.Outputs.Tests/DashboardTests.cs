using System.Globalization;
using System.Text.Json;
using Surge.Outputs.Tests.Support;
using Surge.Plans;
using Surge.Tests.Support;

namespace Surge.Outputs.Tests;

/// <summary>Every query of deploy/'s Grafana dashboards, run against the real Prometheus and InfluxDB after a real run.</summary>
public sealed class DashboardTests : IAsyncLifetime
{
    private Backend _prometheus = null!;
    private Backend _influx = null!;

    public async Task InitializeAsync()
    {
        _prometheus = await Backend.PrometheusAsync();
        _influx = await Backend.InfluxDbAsync();
    }

    public Task DisposeAsync()
    {
        _prometheus.Dispose();
        _influx.Dispose();
        return Task.CompletedTask;
    }

    private static IEnumerable<string> Queries(string dashboard, string field)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "dashboards", dashboard)));
        return [.. document.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(panel => panel.GetProperty("targets").EnumerateArray())
            .Select(target => target.GetProperty(field).GetString()!)];
    }

    private async Task<string> RunAsync()
    {
        using var server = new CannedResponseServer();
        var testid = Runs.NewTestId();
        var fast = new Dictionary<string, string> { ["K6_PROMETHEUS_RW_PUSH_INTERVAL"] = "1s" };
        using var prometheus = new PrometheusRemoteWriteOutput("prometheus-rw", PrometheusRemoteWriteOptions.From(
            "prometheus-rw", $"http://127.0.0.1:{_prometheus.Port.ToString(CultureInfo.InvariantCulture)}/api/v1/write", fast));
        using var influx = new InfluxDbOutput("influxdb", InfluxDbOptions.From(
            "influxdb", $"http://127.0.0.1:{_influx.Port.ToString(CultureInfo.InvariantCulture)}/k6", fast));
        var plan = Runs.ThreeSeconds(server, testid);
        var scenario = plan.Scenarios[0];
        var step = (RequestStep)scenario.Steps[0];
        plan = plan with
        {
            Scenarios = [scenario with { Steps = [step with { Checks = [new CheckPlan("is 200", CheckKind.Status) { Statuses = new StatusRanges([(200, 200)]) }] }] }],
        };

        var summary = await TestRun.RunAsync(plan, new RunSettings { Outputs = [prometheus, influx] });

        Assert.Empty(summary.Warnings);
        return testid;
    }

    [Fact]
    public async Task Every_query_of_both_dashboards_returns_data_for_the_runs_testid()
    {
        var testid = await RunAsync();

        var promQueries = Queries("surge-prometheus.json", "expr").ToList();
        Assert.Contains(promQueries, q => q.Contains("histogram_quantile(0.95, sum by (le) (rate(k6_http_req_duration_seconds_bucket", StringComparison.Ordinal));
        foreach (var query in promQueries)
        {
            var result = await _prometheus.PromQueryAsync(query.Replace("$testid", testid, StringComparison.Ordinal).Replace("$__rate_interval", "1m", StringComparison.Ordinal));
            Assert.True(result.Count > 0 && result.Any(r => double.IsFinite(r.Value)), $"no data for {query}");
        }
        var influxQueries = Queries("surge-influxdb.json", "query").ToList();
        Assert.Equal(10, influxQueries.Count);
        foreach (var query in influxQueries)
        {
            var rows = await _influx.InfluxQueryAsync("k6", query.Replace("$testid", testid, StringComparison.Ordinal).Replace("$timeFilter", "time > now() - 1h", StringComparison.Ordinal));
            Assert.True(rows.Count > 0, $"no rows for {query}");
        }
    }
}
