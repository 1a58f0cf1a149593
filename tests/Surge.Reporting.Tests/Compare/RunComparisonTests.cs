using System.Text.Json;
using System.Text.RegularExpressions;
using Surge.Metrics;
using Surge.Reporting.Compare;
using Surge.Results;

namespace Surge.Reporting.Tests.Compare;

public sealed class RunComparisonTests
{
    private static readonly CompareTolerances Defaults = new();

    /// <summary>
    /// A run of 10 s in which each endpoint got <paramref name="requests"/> requests whose durations are spread evenly
    /// over (0, slowest] ms, so that every percentile is known: p95 of 1..100 ms is 95 ms.
    /// </summary>
    private static RunSummary Run(params (string Name, int Requests, double SlowestMs, int Failures)[] endpoints)
    {
        var run = new RunBuilder();
        foreach (var (name, requests, slowest, failures) in endpoints)
        {
            for (var i = 1; i <= requests; i++)
            {
                (string, string)[] tags = [("method", "GET"), ("name", name), ("status", i <= failures ? "500" : "200")];
                run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
                run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(slowest * i / requests);
                run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(i <= failures);
            }
        }
        return run.Build([Runs.Browse]);
    }

    private static RowComparison Row(RunComparison comparison, string endpoint) =>
        comparison.Endpoints.Single(r => r.Endpoint == endpoint);

    [Fact]
    public void A_run_compared_with_itself_has_every_stat_unchanged_and_no_regression()
    {
        var run = Run(("list", 1000, 100, 5), ("login", 200, 400, 0));

        var comparison = RunComparison.Of(run, run, Defaults);

        Assert.False(comparison.Regressed);
        Assert.All(comparison.Rows, row => Assert.Equal(RowVerdict.Unchanged, row.Verdict));
        Assert.All(comparison.Rows.SelectMany(r => r.Changes), change => Assert.Equal(0, change.Delta));
        Assert.Equal(["GET list", "GET login"], comparison.Endpoints.Select(r => r.Endpoint).ToArray());
    }

    [Fact]
    public void An_endpoint_twice_as_slow_regresses_with_its_percentile_changes_and_the_other_endpoint_does_not()
    {
        var before = Run(("list", 1000, 100, 0), ("login", 1000, 400, 0));
        var after = Run(("list", 1000, 200, 0), ("login", 1000, 400, 0));

        var comparison = RunComparison.Of(before, after, Defaults);

        Assert.True(comparison.Regressed);
        var list = Row(comparison, "GET list");
        Assert.Equal(RowVerdict.Regressed, list.Verdict);
        var p95 = list.Change(ComparedStat.P95)!;
        Assert.Equal(StatVerdict.Regressed, p95.Verdict);
        Assert.Equal(95, p95.Base, 95.0 / 1024); // HDR: within 1/1024 of the recorded value
        Assert.Equal(190, p95.New, 190.0 / 1024);
        Assert.Equal(1.0, p95.Relative!.Value, 0.01);
        Assert.Equal(StatVerdict.Unchanged, list.Change(ComparedStat.RequestsPerSecond)!.Verdict);
        Assert.Equal(RowVerdict.Unchanged, Row(comparison, "GET login").Verdict);
    }

    [Fact]
    public void A_slowdown_inside_the_tolerance_is_unchanged_and_one_beyond_it_regresses()
    {
        var before = Run(("list", 1000, 100, 0));

        var within = RunComparison.Of(before, Run(("list", 1000, 108, 0)), Defaults);
        var beyond = RunComparison.Of(before, Run(("list", 1000, 112, 0)), Defaults);

        Assert.Equal(StatVerdict.Unchanged, Row(within, "GET list").Change(ComparedStat.P95)!.Verdict);
        Assert.False(within.Regressed);
        Assert.Equal(StatVerdict.Regressed, Row(beyond, "GET list").Change(ComparedStat.P95)!.Verdict);
        Assert.True(beyond.Regressed);
    }

    [Fact]
    public void A_per_stat_tolerance_judges_that_stat_alone()
    {
        var before = Run(("list", 1000, 100, 0));
        var after = Run(("list", 1000, 130, 0));

        var comparison = RunComparison.Of(before, after, Defaults with { P50 = 0.5, P95 = 0.5, P99 = 0.2 });

        var list = Row(comparison, "GET list");
        Assert.Equal(StatVerdict.Unchanged, list.Change(ComparedStat.P95)!.Verdict);
        Assert.Equal(StatVerdict.Regressed, list.Change(ComparedStat.P99)!.Verdict);
    }

    [Fact]
    public void A_stat_with_an_infinite_tolerance_is_shown_but_never_judged()
    {
        var comparison = RunComparison.Of(Run(("list", 1000, 100, 0)), Run(("list", 1000, 1000, 500)),
            Defaults with { P50 = double.PositiveInfinity, P95 = double.PositiveInfinity, P99 = double.PositiveInfinity, ErrorRate = double.PositiveInfinity });

        Assert.All(Row(comparison, "GET list").Changes, c => Assert.NotEqual(StatVerdict.Regressed, c.Verdict));
        Assert.Equal(950, Row(comparison, "GET list").Change(ComparedStat.P95)!.New, 950.0 / 1024);
        Assert.False(comparison.Regressed);
        Assert.Contains("p95 off", ComparisonText.Render(comparison), StringComparison.Ordinal);
    }

    [Fact]
    public void A_faster_endpoint_is_improved_and_not_a_regression()
    {
        var comparison = RunComparison.Of(Run(("list", 1000, 100, 0)), Run(("list", 1000, 50, 0)), Defaults);

        Assert.Equal(RowVerdict.Improved, Row(comparison, "GET list").Verdict);
        Assert.False(comparison.Regressed);
    }

    [Fact]
    public void Latency_changes_below_the_floor_are_not_judged_however_large_relative_to_the_base()
    {
        // 0.2 ms to 0.6 ms is +200%, and 0.4 ms: loopback noise, not a regression.
        var comparison = RunComparison.Of(Run(("list", 1000, 0.2, 0)), Run(("list", 1000, 0.6, 0)), Defaults);

        Assert.Equal(StatVerdict.Unchanged, Row(comparison, "GET list").Change(ComparedStat.P95)!.Verdict);
        Assert.False(comparison.Regressed);
    }

    [Fact]
    public void An_endpoint_with_too_few_requests_shows_its_slowdown_without_judging_it()
    {
        var before = Run(("list", 1000, 100, 0), ("rare", 20, 100, 0));
        var after = Run(("list", 1000, 100, 0), ("rare", 20, 500, 0));

        var comparison = RunComparison.Of(before, after, Defaults);

        var rare = Row(comparison, "GET rare");
        Assert.Equal(RowVerdict.TooFewSamples, rare.Verdict);
        Assert.Equal(StatVerdict.TooFewSamples, rare.Change(ComparedStat.P95)!.Verdict);
        Assert.Equal(95, rare.Change(ComparedStat.P95)!.Base, 95.0 / 1024);
        Assert.Equal(475, rare.Change(ComparedStat.P95)!.New, 475.0 / 1024);
        Assert.Equal(StatVerdict.Regressed, comparison.Total.Change(ComparedStat.P99)!.Verdict);
        Assert.Equal(RowVerdict.Unchanged, Row(comparison, "GET list").Verdict);
    }

    [Fact]
    public void The_error_rate_regresses_on_an_absolute_rise_beyond_its_tolerance()
    {
        var before = Run(("list", 1000, 100, 5));

        var small = RunComparison.Of(before, Run(("list", 1000, 100, 12)), Defaults);
        var large = RunComparison.Of(before, Run(("list", 1000, 100, 25)), Defaults);

        var smallChange = Row(small, "GET list").Change(ComparedStat.ErrorRate)!;
        Assert.Equal(0.007, smallChange.Delta, 1e-12);
        Assert.Equal(StatVerdict.Unchanged, smallChange.Verdict);
        var largeChange = Row(large, "GET list").Change(ComparedStat.ErrorRate)!;
        Assert.Equal(0.02, largeChange.Delta, 1e-12);
        Assert.Equal(StatVerdict.Regressed, largeChange.Verdict);
        Assert.True(large.Regressed);
    }

    [Fact]
    public void A_throughput_drop_beyond_the_tolerance_regresses()
    {
        var comparison = RunComparison.Of(Run(("list", 1000, 100, 0)), Run(("list", 800, 100, 0)), Defaults);

        var rps = Row(comparison, "GET list").Change(ComparedStat.RequestsPerSecond)!;
        Assert.Equal(100, rps.Base);
        Assert.Equal(80, rps.New);
        Assert.Equal(-0.2, rps.Relative!.Value, 1e-12);
        Assert.Equal(StatVerdict.Regressed, rps.Verdict);
    }

    [Fact]
    public void Endpoints_in_one_run_only_are_listed_as_added_or_removed_without_a_regression()
    {
        var comparison = RunComparison.Of(Run(("list", 1000, 100, 0), ("old", 100, 10, 0)), Run(("list", 1000, 100, 0), ("new", 100, 10, 0)), Defaults);

        Assert.Equal(["GET list", "GET new", "GET old"], comparison.Endpoints.Select(r => r.Endpoint).ToArray());
        Assert.Equal(RowVerdict.Added, Row(comparison, "GET new").Verdict);
        Assert.Null(Row(comparison, "GET new").Base);
        Assert.Equal(RowVerdict.Removed, Row(comparison, "GET old").Verdict);
        Assert.Null(Row(comparison, "GET old").New);
        Assert.False(comparison.Regressed);
    }

    [Fact]
    public void The_all_requests_row_counts_every_request_of_each_run()
    {
        var comparison = RunComparison.Of(Run(("list", 1000, 100, 10), ("login", 500, 100, 0)), Run(("list", 1000, 100, 40)), Defaults);

        var total = comparison.Total;
        Assert.True(total.IsTotal);
        Assert.Equal(1500, total.Base!.Requests);
        Assert.Equal(1000, total.New!.Requests);
        Assert.Equal(10.0 / 1500, total.Base.ErrorRate, 1e-12);
        Assert.Equal(0.04, total.New.ErrorRate, 1e-12);
        Assert.Equal(150, total.Base.RequestsPerSecond);
    }

    [Fact]
    public void A_run_that_did_not_complete_or_had_other_scenarios_is_noted()
    {
        var before = Run(("list", 1000, 100, 0));
        var after = Run(("list", 1000, 100, 0)) with { Outcome = RunOutcome.Interrupted, Scenarios = [Runs.Orders] };

        var comparison = RunComparison.Of(before, after, Defaults, "monday.json", "friday.json");

        Assert.Equal(2, comparison.Notes.Count);
        Assert.Contains("friday.json did not complete (interrupted by a signal)", comparison.Notes[0], StringComparison.Ordinal);
        Assert.Contains("monday.json: browse; friday.json: orders", comparison.Notes[1], StringComparison.Ordinal);
    }

    [Fact]
    public void The_text_shows_each_stat_with_base_new_change_and_verdict_and_names_the_regression()
    {
        var comparison = RunComparison.Of(Run(("list", 1000, 100, 0)), Run(("list", 1000, 200, 0)), Defaults, "base.json", "new.json");

        var text = ComparisonText.Render(comparison);

        Assert.Contains("base: base.json", text, StringComparison.Ordinal);
        var listRows = text[text.IndexOf("  GET list", StringComparison.Ordinal)..];
        Assert.Matches(@"\n\s+p95\s+95(\.\d+)?ms\s+19\d(\.\d+)?ms\s+\+100%\s+REGRESSED\n", listRows);
        Assert.Contains("✗ REGRESSED: all requests (", text, StringComparison.Ordinal);
        Assert.Contains("GET list (p50 +100%, p95 +100%, p99 +100%)", text, StringComparison.Ordinal);
        Assert.DoesNotContain(" \n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_markdown_is_a_table_with_one_row_per_endpoint_and_the_regressed_cells_marked()
    {
        var comparison = RunComparison.Of(Run(("list", 1000, 100, 0), ("a|b", 100, 10, 0)), Run(("list", 1000, 200, 0), ("a|b", 100, 10, 0)), Defaults);

        var lines = ComparisonMarkdown.Render(comparison).Split('\n');

        Assert.StartsWith("### ❌ Surge compare: regression beyond tolerance", lines[0], StringComparison.Ordinal);
        var header = Array.FindIndex(lines, l => l.StartsWith("| | endpoint |", StringComparison.Ordinal));
        Assert.StartsWith("| ❌ | **all requests** | 1100 → 1100 |", lines[header + 2], StringComparison.Ordinal);
        Assert.StartsWith("| ❌ | GET list | 1000 → 1000 |", lines[header + 3], StringComparison.Ordinal);
        Assert.Contains("(**+100%** ❌)", lines[header + 3], StringComparison.Ordinal);
        Assert.StartsWith(@"| ✅ | GET a\|b | 100 → 100 |", lines[header + 4], StringComparison.Ordinal);
        Assert.All(lines[header..(header + 5)], l => Assert.Equal(10, Regex.Split(l, @"(?<!\\)\|").Length)); // 8 cells, escaped pipes inside
    }

    [Fact]
    public void Text_markdown_and_json_are_the_same_byte_for_byte_under_a_comma_decimal_culture()
    {
        var comparison = RunComparison.Of(Run(("list", 1000, 100, 5)), Run(("list", 1000, 150.5, 30)), Defaults);
        (string Text, string Markdown, string Json) Render(System.Globalization.CultureInfo culture) => (
            Outputs.Under(culture, () => ComparisonText.Render(comparison)),
            Outputs.Under(culture, () => ComparisonMarkdown.Render(comparison)),
            Outputs.Under(culture, () => Outputs.Text(stream => ComparisonJson.Write(comparison, stream))));

        var invariant = Render(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(invariant, Render(Outputs.CommaDecimals));
        Assert.Matches(@"\d\.\d", invariant.Text); // a decimal point, so the culture had something to change
    }

    [Fact]
    public void The_json_carries_every_figure_and_verdict_in_plain_units()
    {
        var comparison = RunComparison.Of(Run(("list", 1000, 100, 0)), Run(("list", 1000, 200, 30)), Defaults);
        using var stream = new MemoryStream();

        ComparisonJson.Write(comparison, stream);

        using var json = JsonDocument.Parse(stream.ToArray());
        var root = json.RootElement;
        Assert.Equal("surge-compare", root.GetProperty("format").GetString());
        Assert.True(root.GetProperty("regressed").GetBoolean());
        Assert.Equal(0.1, root.GetProperty("tolerances").GetProperty("p95").GetDouble());
        var list = root.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("endpoint").GetString() == "GET list");
        Assert.Equal("regressed", list.GetProperty("verdict").GetString());
        Assert.Equal(1000, list.GetProperty("new").GetProperty("requests").GetInt64());
        Assert.Equal(0.03, list.GetProperty("new").GetProperty("errors").GetDouble(), 1e-12);
        Assert.Equal(95, list.GetProperty("base").GetProperty("p95").GetDouble(), 95.0 / 1024);
        var p95 = list.GetProperty("changes").GetProperty("p95");
        Assert.Equal("regressed", p95.GetProperty("verdict").GetString());
        Assert.Equal(1.0, p95.GetProperty("relative").GetDouble(), 0.01);
        Assert.Equal("regressed", list.GetProperty("changes").GetProperty("errors").GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData(ComparedStat.P95, 100, 101.94, "+1.9%")]
    [InlineData(ComparedStat.RequestsPerSecond, 100, 80, "-20%")]
    [InlineData(ComparedStat.P99, 2, 300, "+14900%")]
    [InlineData(ComparedStat.P50, 100, 99.99, "0.0%")]
    [InlineData(ComparedStat.P50, 0, 0, "0%")]
    [InlineData(ComparedStat.P50, 0, 3, "new")]
    [InlineData(ComparedStat.ErrorRate, 0.005, 0.0205, "+1.55pp")]
    [InlineData(ComparedStat.ErrorRate, 0.02, 0.01, "-1.00pp")]
    public void Changes_are_written_with_their_sign_and_unit(ComparedStat stat, double before, double after, string expected) =>
        Assert.Equal(expected, CompareFormat.Change(new StatChange(stat, before, after, StatVerdict.Unchanged)));
}
