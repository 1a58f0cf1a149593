using System.Text.Json;
using Surge.Metrics;
using Surge.Results;
using Surge.Thresholds;

namespace Surge.Reporting.Tests;

public sealed class SummaryExportTests
{
    private static JsonDocument Export(RunSummary summary)
    {
        using var stream = new MemoryStream();
        SummaryExport.Write(summary, stream);
        return JsonDocument.Parse(stream.ToArray());
    }

    private static JsonElement Metric(JsonDocument document, string key) =>
        document.RootElement.GetProperty("metrics").GetProperty(key);

    [Fact]
    public void Trend_statistics_equal_the_aggregate_in_milliseconds()
    {
        var summary = Runs.TypicalSummary() with { SummaryTrendStats = ["avg", "p(99.9)"] };
        using var document = Export(summary);

        var exported = Metric(document, "http_req_duration");
        var aggregate = summary.Find("http_req_duration")!.Total;
        string[] expected = ["count", "avg", "min", "med", "max", "p(90)", "p(95)", "p(99)", "p(99.9)"];
        Assert.Equal([.. expected, "thresholds"], exported.EnumerateObject().Select(p => p.Name));
        foreach (var stat in expected)
        {
            Assert.Equal(aggregate.Stat(stat, summary.Duration)!.Value, exported.GetProperty(stat).GetDouble());
        }
        Assert.Equal(1000, exported.GetProperty("count").GetDouble());
        Assert.Equal(1000, exported.GetProperty("max").GetDouble());
        Assert.Equal(950, exported.GetProperty("p(95)").GetDouble(), 950 / 1024.0);
    }

    [Fact]
    public void Counters_rates_and_gauges_have_k6s_fields()
    {
        using var document = Export(Runs.TypicalSummary());

        var requests = Metric(document, "http_reqs");
        Assert.Equal(1000, requests.GetProperty("count").GetDouble());
        Assert.Equal(100, requests.GetProperty("rate").GetDouble());

        var failed = Metric(document, "http_req_failed");
        Assert.Equal(100, failed.GetProperty("passes").GetInt64());
        Assert.Equal(900, failed.GetProperty("fails").GetInt64());
        Assert.Equal(0.1, failed.GetProperty("value").GetDouble());
        Assert.Equal(0.1, failed.GetProperty("rate").GetDouble());

        var vus = Metric(document, "vus");
        Assert.Equal(5, vus.GetProperty("value").GetDouble());
        Assert.Equal(1, vus.GetProperty("min").GetDouble());
        Assert.Equal(10, vus.GetProperty("max").GetDouble());
    }

    [Fact]
    public void Threshold_flags_follow_k6s_legacy_meaning_true_for_failed()
    {
        using var document = Export(Runs.TypicalSummary());

        Assert.False(Metric(document, "http_req_duration").GetProperty("thresholds").GetProperty("p(95)<975").GetBoolean());
        Assert.True(Metric(document, "http_req_failed").GetProperty("thresholds").GetProperty("rate<0.01").GetBoolean());
        Assert.False(Metric(document, "http_reqs").TryGetProperty("thresholds", out _));
    }

    [Fact]
    public void Tag_filtered_threshold_keys_are_exported_as_submetrics()
    {
        var summary = Runs.TypicalSummary();
        using var document = Export(summary);

        var login = Metric(document, "http_req_duration{name:login}");
        var aggregate = summary.Aggregate(MetricKey.Parse("http_req_duration{name:login}"))!;
        Assert.Equal(400, login.GetProperty("count").GetDouble());
        Assert.Equal(601, login.GetProperty("min").GetDouble());
        Assert.Equal(aggregate.Stat("p(99)", summary.Duration)!.Value, login.GetProperty("p(99)").GetDouble());
        Assert.True(login.GetProperty("thresholds").GetProperty("p(99)<500").GetBoolean());

        var expected = Metric(document, "http_req_duration{expected_response:true}");
        Assert.Equal(900, expected.GetProperty("count").GetDouble());
        Assert.Equal(900, expected.GetProperty("max").GetDouble());
    }

    [Fact]
    public void The_root_group_lists_checks_with_k6s_paths_and_ids()
    {
        using var document = Export(Runs.TypicalSummary());

        var root = document.RootElement.GetProperty("root_group");
        Assert.Equal("", root.GetProperty("path").GetString());
        Assert.Equal("d41d8cd98f00b204e9800998ecf8427e", root.GetProperty("id").GetString()); // md5("")
        var status = root.GetProperty("checks").GetProperty("status is 200");
        Assert.Equal("::status is 200", status.GetProperty("path").GetString());
        Assert.Equal(450, status.GetProperty("passes").GetInt64());
        Assert.Equal(50, status.GetProperty("fails").GetInt64());
        Assert.Equal(32, status.GetProperty("id").GetString()!.Length);
    }

    [Fact]
    public void Checks_in_groups_nest_under_their_group()
    {
        var run = new RunBuilder();
        run.Series(BuiltinMetrics.Checks, ("group", "::checkout::pay"), ("check", "paid")).AddRate(true, 3);
        using var document = Export(run.Build([Runs.Browse]));

        var checkout = document.RootElement.GetProperty("root_group").GetProperty("groups").GetProperty("checkout");
        Assert.Equal("::checkout", checkout.GetProperty("path").GetString());
        var paid = checkout.GetProperty("groups").GetProperty("pay").GetProperty("checks").GetProperty("paid");
        Assert.Equal("::checkout::pay::paid", paid.GetProperty("path").GetString());
        Assert.Equal(3, paid.GetProperty("passes").GetInt64());
    }

    [Fact]
    public void Metrics_without_data_are_left_out()
    {
        var run = Runs.Typical();
        run.Series(BuiltinMetrics.DataSent);
        using var document = Export(run.Build([Runs.Browse]));

        Assert.False(document.RootElement.GetProperty("metrics").TryGetProperty("data_sent", out _));
    }
}
