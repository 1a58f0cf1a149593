using Surge.Metrics;

namespace Surge.Reporting.Tests;

public sealed class EndpointTableTests
{
    [Fact]
    public void Each_endpoint_merges_its_status_series_and_counts_failures_statuses_and_error_codes()
    {
        var run = new RunBuilder { Duration = TimeSpan.FromSeconds(4) };
        void Request(string method, string name, int status, double ms, bool failed, string? error = null)
        {
            (string, string)[] tags = error is null
                ? [("method", method), ("name", name), ("status", status.ToString(System.Globalization.CultureInfo.InvariantCulture))]
                : [("method", method), ("name", name), ("status", "0"), ("error_code", error)];
            run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
            run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(ms);
            run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(failed);
            run.Series(BuiltinMetrics.DataReceived, tags).AddCounter(100);
        }
        for (var ms = 1; ms <= 10; ms++)
        {
            Request("GET", "/items", ms <= 8 ? 200 : 503, ms, failed: ms > 8);
        }
        Request("POST", "/cart", 201, 40, failed: false);
        Request("POST", "/cart", 0, 5000, failed: true, error: "request_timeout");

        var table = EndpointTable.From(run.Build([Runs.Browse]));

        Assert.Equal(["GET /items", "POST /cart"], table.Select(e => e.Label).ToArray());
        var items = table[0];
        Assert.Equal(10, items.Requests);
        Assert.Equal(2, items.Failures);
        Assert.Equal(0.2, items.ErrorRate);
        Assert.Equal(2.5, items.RequestsPerSecond(TimeSpan.FromSeconds(4)));
        Assert.Equal(new Dictionary<int, long> { [200] = 8, [503] = 2 }, items.Statuses);
        Assert.Equal(5, items.Percentile(50), 5.0 / 1024); // HDR: within 1/1024 of the recorded value
        Assert.Equal(10, items.Duration.Stat("max", TimeSpan.Zero));
        Assert.Equal(1000, items.DataReceived);
        var cart = table[1];
        Assert.Equal(new Dictionary<string, long> { ["request_timeout"] = 1 }, cart.ErrorCodes);
        Assert.Equal(new Dictionary<int, long> { [0] = 1, [201] = 1 }, cart.Statuses);
    }
}
