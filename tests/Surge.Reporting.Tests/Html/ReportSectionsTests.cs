using System.Text.Json;
using System.Text.RegularExpressions;
using Surge.Metrics;
using Surge.Reporting.Html;

namespace Surge.Reporting.Tests.Html;

public sealed class ReportSectionsTests
{
    private static JsonElement DataOf(Results.RunSummary summary)
    {
        var html = HtmlReport.Render(summary);
        var match = Regex.Match(html, """<script type="application/json" id="surge-data">(.*?)</script>""", RegexOptions.Singleline);
        return JsonDocument.Parse(match.Groups[1].Value).RootElement;
    }

    [Fact]
    public void Each_scenario_gets_its_requests_p95_failures_and_iterations()
    {
        // Typical: browse made the 600 requests of 1..600 ms and 300 iterations; orders the 400 of 601..1000 ms, of
        // which the 100 above 900 ms failed, and 200 iterations.
        var groups = DataOf(Runs.TypicalSummary()).GetProperty("groups").EnumerateArray().ToList();

        Assert.Equal(["browse", "orders"], groups.Select(g => g.GetProperty("name").GetString()));
        Assert.All(groups, g => Assert.Equal("scenario", g.GetProperty("tag").GetString()));
        var (browse, orders) = (groups[0], groups[1]);
        Assert.Equal((600L, 0L, 300L), (browse.GetProperty("requests").GetInt64(), browse.GetProperty("failed").GetInt64(), browse.GetProperty("iterations").GetInt64()));
        Assert.Equal((400L, 100L, 200L), (orders.GetProperty("requests").GetInt64(), orders.GetProperty("failed").GetInt64(), orders.GetProperty("iterations").GetInt64()));
        Assert.Equal(0.25, orders.GetProperty("errorRate").GetDouble());
        Assert.Equal(570, browse.GetProperty("p95").GetDouble(), 570 / 1024.0);
        Assert.Equal(980, orders.GetProperty("p95").GetDouble(), 980 / 1024.0);
    }

    [Fact]
    public void Users_get_a_section_when_requests_carry_the_user_tag_and_iterations_without_it_read_null()
    {
        var run = new RunBuilder();
        foreach (var (user, count) in new[] { ("buyer", 30), ("browser", 70) })
        {
            (string, string)[] tags = [("scenario", "shop"), ("user", user), ("status", "200")];
            run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(count);
            run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(false, count);
            run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(10);
        }
        run.Series(BuiltinMetrics.Iterations, ("scenario", "shop")).AddCounter(50);

        var users = DataOf(run.Build([Runs.Browse])).GetProperty("groups").EnumerateArray().Where(g => g.GetProperty("tag").GetString() == "user").ToList();

        Assert.Equal([("browser", 70L), ("buyer", 30L)], users.Select(u => (u.GetProperty("name").GetString(), u.GetProperty("requests").GetInt64())));
        Assert.All(users, u => Assert.Equal(JsonValueKind.Null, u.GetProperty("iterations").ValueKind));
    }

    [Fact]
    public void Custom_metrics_become_tiles_trends_by_p95_rates_as_a_share_counters_with_a_rate_per_second()
    {
        var run = new RunBuilder(); // 10 s
        var orders = run.Series(new MetricDefinition("orders_placed", MetricKind.Counter));
        orders.AddCounter(150);
        var paid = run.Series(new MetricDefinition("payment_success", MetricKind.Rate));
        paid.AddRate(true, 99);
        paid.AddRate(false, 1);
        var checkout = run.Series(new MetricDefinition("checkout_time", MetricKind.Trend, MetricContains.Time));
        for (var ms = 1; ms <= 100; ms++)
        {
            checkout.AddTrend(ms);
        }
        run.Series(new MetricDefinition("cart_size", MetricKind.Gauge)).SetGauge(4, timestamp: 1);
        run.Series(BuiltinMetrics.HttpReqs).AddCounter(1);

        var tiles = DataOf(run.Build([Runs.Browse])).GetProperty("customMetrics").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!, t => (t.GetProperty("value").GetString(), t.GetProperty("detail").GetString()));

        Assert.Equal(["orders_placed", "payment_success", "checkout_time", "cart_size"], tiles.Keys);
        Assert.Equal(("150", "15/s"), tiles["orders_placed"]);
        Assert.Equal(("99.00%", "99 of 100"), tiles["payment_success"]);
        Assert.Equal(("4", "min 4, max 4"), tiles["cart_size"]);
        Assert.Matches(@"^p95 9[45]\.\d+ms$", tiles["checkout_time"].Item1); // 95 ms within the histogram's 1/1024
        Assert.Matches(@"^avg 50\.5ms, med 50(\.0\d)?ms, max 100ms$", tiles["checkout_time"].Item2); // avg and max are exact
    }

    [Fact]
    public void Each_timeline_point_carries_the_custom_metrics_counters_per_second_rates_as_a_share_trends_as_percentiles()
    {
        var run = Runs.Typical();
        run.Series(Timelines.OrdersPlaced).AddCounter(630);
        run.Series(Timelines.PaymentOk).AddRate(true, 180);
        run.Series(Timelines.CheckoutTime).AddTrend(10);
        var summary = run.Build([Runs.Browse]) with { Timeline = Timelines.WithCustomMetrics(Timelines.Flat()) };

        var data = DataOf(summary);

        var units = data.GetProperty("customMetrics").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!, m => m.GetProperty("unit").GetString());
        Assert.Equal("per second", units["orders_placed"]);
        Assert.Equal("share of passes", units["payment_ok"]);
        Assert.Equal("ms", units["checkout_time"]);
        var points = data.GetProperty("timeline").EnumerateArray().ToList();
        Assert.Equal(20, points.Count);
        for (var s = 0; s < points.Count; s++)
        {
            var custom = points[s].GetProperty("custom");
            Assert.Equal(3.0 * (s + 1), custom.GetProperty("orders_placed").GetProperty("value").GetDouble());
            Assert.Equal(0.9, custom.GetProperty("payment_ok").GetProperty("value").GetDouble(), 12);
            var checkout = custom.GetProperty("checkout_time");
            foreach (var (name, exact) in new[] { ("p50", 50.0), ("p95", 95.0), ("p99", 99.0) })
            {
                var expected = exact + (s * 10);
                Assert.InRange(checkout.GetProperty(name).GetDouble(), expected, expected * (1 + (1 / 1024.0)));
            }
        }
        // The generator's own metrics are not custom: they have their own chart.
        Assert.False(points[0].GetProperty("custom").TryGetProperty("surge_generator_cpu", out _));
    }
}
