using System.Text.Json;
using System.Text.RegularExpressions;
using Surge.Metrics;
using Surge.Reporting.Html;
using Surge.Results;

namespace Surge.Reporting.Tests;

public sealed class NumbersThatAreRightTests
{
    [Theory]
    [InlineData(-0.0, "0.00%")]
    [InlineData(-0.000001, "0.00%")]
    [InlineData(0.000049, "0.00%")]
    [InlineData(-0.25, "-25.00%")]
    [InlineData(0.995, "99.50%")]
    public void A_share_never_reads_negative_zero(double share, string expected) =>
        Assert.Equal(expected, DisplayFormat.Percent(share));

    [Theory]
    [InlineData(-0.0, "0")]
    [InlineData(-0.0000001, "0")]
    [InlineData(1.5, "1.5")]
    public void A_number_never_reads_negative_zero(double value, string expected) =>
        Assert.Equal(expected, DisplayFormat.Number(value));

    [Fact]
    public void Percentiles_of_a_plain_trend_show_only_the_digits_the_histogram_resolves()
    {
        // 19808-byte bodies: the histogram's bucket edge is 19808.255, which is no byte count.
        var body = new MetricDefinition("body_bytes", MetricKind.Trend);
        var run = new RunBuilder();
        for (var i = 0; i < 100; i++)
        {
            run.Series(body).AddTrend(19808);
        }
        var summary = run.Build([Runs.Browse]) with { SummaryTrendStats = ["avg", "min", "med", "max", "p(95)"] };

        var line = ConsoleSummary.Render(summary, new ConsoleSummaryOptions()).Split('\n').Single(l => l.Contains("body_bytes", StringComparison.Ordinal));

        Assert.Matches(@": avg=19808 +min=19808 +med=19808 +max=19808 +p\(95\)=19808$", line);
    }

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(123.456, "123.5")]   // resolved to 0.12
    [InlineData(19808.255, "19808")] // resolved to 19
    [InlineData(0.0123, "0.012")]    // the fixed point keeps thousandths
    public void A_resolved_value_keeps_the_digits_within_one_part_in_1024(double value, string expected) =>
        Assert.Equal(expected, DisplayFormat.Resolved(value));

    [Fact]
    public void The_vus_max_tile_shows_the_most_vus_that_ran_not_the_configured_maximum()
    {
        // Orders may use 20 VUs and Browse 10, but at most 7 ran at once.
        var run = new RunBuilder();
        run.Series(BuiltinMetrics.Vus).SetGauge(3, timestamp: 1);
        run.Series(BuiltinMetrics.Vus).SetGauge(7, timestamp: 2);
        run.Series(BuiltinMetrics.Vus).SetGauge(2, timestamp: 3);
        var html = HtmlReport.Render(run.Build([Runs.Browse, Runs.Orders]));

        var data = JsonDocument.Parse(Regex.Match(html, """<script type="application/json" id="surge-data">(.*?)</script>""", RegexOptions.Singleline).Groups[1].Value);

        Assert.Equal(7, data.RootElement.GetProperty("run").GetProperty("vusMax").GetDouble());
    }
}
