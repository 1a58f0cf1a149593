using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Surge.Metrics;
using Surge.Reporting.Html;
using Surge.Reporting.Tests.Findings;
using Surge.Results;

namespace Surge.Reporting.Tests.Html;

public sealed class HtmlReportTests
{
    private const string Hostile = "</script><script>alert(1)</script>";

    private static RunSummary WithHostileNames()
    {
        var run = new RunBuilder();
        (string, string)[] tags = [("method", "GET"), ("name", Hostile), ("status", "200"), ("check", "<b>" + Hostile)];
        run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
        run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(12);
        run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(false);
        run.Series(BuiltinMetrics.Checks, tags).AddRate(true);
        return run.Build([Runs.Browse with { Name = Hostile }], [("http_req_duration{name:" + Hostile + "}", "p(95)<500", false)]) with
        {
            Timeline = Timelines.Flat(),
            Warnings = [Hostile],
        };
    }

    private static JsonElement DataOf(string html)
    {
        var match = Regex.Match(html, """<script type="application/json" id="surge-data">(.*?)</script>""", RegexOptions.Singleline);
        Assert.True(match.Success, "the page has no data element");
        return JsonDocument.Parse(match.Groups[1].Value).RootElement;
    }

    [Fact]
    public void A_name_that_closes_the_script_element_stays_inside_the_data_and_round_trips()
    {
        var html = HtmlReport.Render(WithHostileNames());

        // The data element, uPlot and the page script close once each; the hostile name adds none.
        Assert.Equal(3, Regex.Count(html, "</script", RegexOptions.IgnoreCase));
        Assert.DoesNotContain("<script>alert", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        var data = DataOf(html);
        Assert.Equal(Hostile, data.GetProperty("endpoints")[0].GetProperty("name").GetString());
        Assert.Equal("<b>" + Hostile, data.GetProperty("checks")[0].GetProperty("name").GetString());
        Assert.Equal("http_req_duration{name:" + Hostile + "}", data.GetProperty("thresholds")[0].GetProperty("metric").GetString());
        Assert.Equal(Hostile, data.GetProperty("run").GetProperty("warnings")[0].GetString());
    }

    [Fact]
    public void The_page_loads_nothing_from_anywhere()
    {
        var html = HtmlReport.Render(Runs.TypicalSummary());

        Assert.DoesNotMatch(new Regex(@"\b(src|href|action)\s*=", RegexOptions.IgnoreCase), html);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        // The only address on the page is uPlot's attribution banner, a comment.
        Assert.Equal(["https://github.com/leeoniya/uPlot"], Regex.Matches(html, @"https?://[^\s)""']*").Select(m => m.Value).Distinct().ToArray());
    }

    [Fact]
    public void Timeline_points_carry_per_second_counts_and_decoded_percentiles_in_milliseconds()
    {
        var summary = TroubledRun.Build();

        var timeline = DataOf(HtmlReport.Render(summary)).GetProperty("timeline");

        Assert.Equal(20, timeline.GetArrayLength());
        var last = timeline[19];
        Assert.Equal(19, last.GetProperty("t").GetDouble());
        Assert.Equal(1000, last.GetProperty("requests").GetInt64());
        Assert.Equal(200, last.GetProperty("vus").GetInt32());
        Assert.Equal(5, last.GetProperty("p50").GetDouble(), 5.0 / 1024); // HDR: within 1/1024 of the recorded value
        Assert.Equal(300, last.GetProperty("p95").GetDouble());
        Assert.Equal(300, timeline[12].GetProperty("status503").GetInt64());
        var spike = DataOf(HtmlReport.Render(summary)).GetProperty("throttling").GetProperty("spikes")[0];
        Assert.Equal(12, spike.GetProperty("start").GetDouble());
        Assert.Equal(3, spike.GetProperty("recovery").GetDouble());
    }

    [Fact]
    public void The_page_data_is_the_same_under_a_comma_decimal_culture()
    {
        var summary = TroubledRun.Build();
        var previous = CultureInfo.CurrentCulture;
        string german;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            german = HtmlReport.Render(summary);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        var invariant = HtmlReport.Render(summary);

        Assert.Equal(invariant, german);
        var endpoint = DataOf(german).GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("name").GetString() == TroubledRun.Items);
        Assert.Equal(0.5, endpoint.GetProperty("rps").GetDouble()); // 10 requests in 20 s
        Assert.Equal(0.2, endpoint.GetProperty("errorRate").GetDouble());
    }

    [Fact]
    public void A_point_for_a_live_page_has_the_shape_of_the_timeline_entries()
    {
        var point = Timelines.KneeAt10()[19];

        var live = JsonDocument.Parse(HtmlReport.PointData(point)).RootElement;
        var inReport = DataOf(HtmlReport.Render(TroubledRun.Build())).GetProperty("timeline")[19];

        Assert.Equal(inReport.EnumerateObject().Select(p => p.Name), live.EnumerateObject().Select(p => p.Name));
        Assert.Equal(300, live.GetProperty("p95").GetDouble());
    }

    [Fact]
    public void Status_data_is_the_pages_run_and_thresholds_alone()
    {
        var summary = Runs.TypicalSummary();

        using var status = JsonDocument.Parse(HtmlReport.StatusData(summary));
        using var full = JsonDocument.Parse(HtmlReport.Data(summary));

        Assert.Equal(["run", "thresholds"], status.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(full.RootElement.GetProperty("run").GetRawText(), status.RootElement.GetProperty("run").GetRawText());
        Assert.Equal(full.RootElement.GetProperty("thresholds").GetRawText(), status.RootElement.GetProperty("thresholds").GetRawText());
        Assert.Equal(summary.Thresholds.Count, status.RootElement.GetProperty("thresholds").GetArrayLength());
    }

    [Fact]
    public void A_live_script_runs_after_the_report_script_and_may_not_close_its_element()
    {
        var summary = Runs.TypicalSummary();

        var page = HtmlReport.Page(summary, HtmlReport.Data(summary), "window.live = 1;");

        Assert.True(page.IndexOf("window.live = 1;", StringComparison.Ordinal) > page.IndexOf("window.SurgeReport", StringComparison.Ordinal));
        Assert.Throws<ArgumentException>(() => HtmlReport.Page(summary, "{}", "x = '</SCRIPT>';"));
    }
}
