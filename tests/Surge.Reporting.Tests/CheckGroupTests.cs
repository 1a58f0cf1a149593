using System.Text.Json;
using Surge.Metrics;
using Surge.Reporting.Html;

namespace Surge.Reporting.Tests;

public sealed class CheckGroupTests
{
    [Fact]
    public void A_nested_group_reads_outer_then_inner_in_the_console_summary_and_the_html_data()
    {
        var run = new RunBuilder();
        run.Series(BuiltinMetrics.Checks, ("group", "::checkout::pay"), ("check", "paid")).AddRate(true);
        var summary = run.Build([Runs.Browse]);

        var text = ConsoleSummary.Render(summary, new ConsoleSummaryOptions());
        using var data = JsonDocument.Parse(HtmlReport.Data(summary));

        Assert.Contains("\n    █ checkout › pay\n", text, StringComparison.Ordinal);
        Assert.Equal("checkout › pay", data.RootElement.GetProperty("checks")[0].GetProperty("group").GetString());
    }
}
