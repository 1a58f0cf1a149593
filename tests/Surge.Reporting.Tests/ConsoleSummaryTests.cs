using System.Globalization;
using System.Text.RegularExpressions;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Tests;

public sealed class ConsoleSummaryTests
{
    private static readonly ConsoleSummaryOptions Plain = new();

    private static string Render(RunSummary summary) => ConsoleSummary.Render(summary, Plain);

    /// <summary>The first metric line for a label (the total, before any per-scenario section).</summary>
    private static string MetricLine(string text, string label) =>
        text.Split('\n').First(l => Regex.IsMatch(l, "^ +" + Regex.Escape(label) + "[.:]"));

    private static double Number(string line, string pattern) =>
        double.Parse(Regex.Match(line, pattern).Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public void Trend_percentiles_come_from_the_histogram_within_its_precision()
    {
        var line = MetricLine(Render(Runs.TypicalSummary()), "http_req_duration");

        // 1..1000 ms: the 95th percentile is 950 ms; the histogram keeps 1/1024 relative precision.
        Assert.Equal(950, Number(line, @"p\(95\)=([\d.]+)ms"), 950 / 1024.0);
        Assert.Equal(990, Number(line, @"p\(99\)=([\d.]+)ms"), 990 / 1024.0);
        Assert.Equal(500.5, Number(line, @"avg=([\d.]+)ms"), 0.001);
        Assert.Contains("min=1ms", line, StringComparison.Ordinal);
        Assert.Contains("count=1000", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Trends_show_exactly_the_configured_statistics_in_order()
    {
        var summary = Runs.TypicalSummary() with { SummaryTrendStats = ["p(99.9)", "max"] };

        var line = MetricLine(Render(summary), "iteration_duration");

        Assert.Matches(@"^ +iteration_duration\.+: p\(99\.9\)=[\d.]+s +max=2s$", line);
    }

    [Fact]
    public void Request_count_and_rate_per_second_follow_from_the_duration()
    {
        var line = MetricLine(Render(Runs.TypicalSummary()), "http_reqs");

        Assert.Matches(@": 1000 +100/s$", line);
    }

    [Fact]
    public void Data_counters_are_shown_in_SI_units_with_a_rate()
    {
        // 1000 responses of 6300 bytes in 10 s.
        var line = MetricLine(Render(Runs.TypicalSummary()), "data_received");

        Assert.Matches(@": 6\.3 MB +630 kB/s$", line);
    }

    [Fact]
    public void Failed_requests_read_as_a_share_out_of_all_requests()
    {
        var line = MetricLine(Render(Runs.TypicalSummary()), "http_req_failed");

        Assert.Matches(@": 10\.00% +100 out of 1000$", line);
    }

    [Fact]
    public void Gauges_show_the_latest_value_and_the_extremes()
    {
        var line = MetricLine(Render(Runs.TypicalSummary()), "vus");

        Assert.Matches(@": 5 +min=1 +max=10$", line);
    }

    [Fact]
    public void Thresholds_are_marked_passed_or_failed_with_the_observed_value()
    {
        var text = Render(Runs.TypicalSummary());

        Assert.Matches(@"\n +✓ 'p\(95\)<975' p\(95\)=950(\.\d+)?ms\n", text);
        Assert.Matches(@"\n +http_req_duration\{name:login\}\n +✗ 'p\(99\)<500' p\(99\)=99\d(\.\d+)?ms\n", text);
        Assert.Contains("✗ 'rate<0.01' rate=10.00%", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Checks_show_their_share_and_counts_and_fail_when_any_failed()
    {
        var lines = Render(Runs.TypicalSummary()).Split('\n');

        // "status is 200" failed every tenth of 500 iterations.
        var status = lines.Single(l => l.Contains("status is 200", StringComparison.Ordinal));
        var body = lines.Single(l => l.Contains("has body", StringComparison.Ordinal));
        Assert.Matches(@"^ +✗ status is 200 +90\.00% +✓ 450 / ✗ 50$", status);
        Assert.Matches(@"^ +✓ has body +100\.00% +✓ 500 / ✗ 0$", body);
        Assert.Matches(@": 95\.00% +✓ 950 +✗ 50$", MetricLine(string.Join('\n', lines), "checks"));
    }

    [Fact]
    public void A_run_without_checks_shows_nothing_about_checks()
    {
        var run = new RunBuilder();
        run.Series(BuiltinMetrics.HttpReqs).AddCounter(3);
        var text = Render(run.Build([Runs.Browse]));

        Assert.DoesNotContain("check", text, StringComparison.Ordinal);
        Assert.DoesNotContain("✓", text, StringComparison.Ordinal);
        Assert.DoesNotContain("✗", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Expected_responses_get_their_own_line_under_http_req_duration()
    {
        var lines = Render(Runs.TypicalSummary()).Split('\n').ToList();

        var durationIndex = lines.FindIndex(l => Regex.IsMatch(l, @"^ +http_req_duration\."));
        var expected = lines[durationIndex + 1];
        Assert.Matches(@"^ +\{ expected_response:true \}\.+: ", expected);

        // Only requests of 1..900 ms had expected statuses.
        Assert.Contains("max=900ms", expected, StringComparison.Ordinal);
        Assert.Contains("count=900", expected, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_expected_response_series_there_is_no_sub_line()
    {
        var run = new RunBuilder();
        run.Series(BuiltinMetrics.HttpReqDuration).AddTrend(12);

        Assert.DoesNotContain("expected_response", Render(run.Build([Runs.Browse])), StringComparison.Ordinal);
    }

    [Fact]
    public void Open_model_latency_stands_beside_service_time_with_one_explanation()
    {
        var run = Runs.Typical();
        for (var ms = 1; ms <= 1000; ms++)
        {
            run.Series(BuiltinMetrics.HttpReqLatency, ("scenario", "orders")).AddTrend(ms + 250);
            run.Series(BuiltinMetrics.IterationStartDelay, ("scenario", "orders")).AddTrend(250);
        }
        var lines = Render(run.Build([Runs.Browse, Runs.Orders])).Split('\n').ToList();

        var duration = lines.FindIndex(l => Regex.IsMatch(l, @"^ +http_req_duration\."));
        Assert.Contains("expected_response", lines[duration + 1], StringComparison.Ordinal);
        Assert.Matches(@"^ +http_req_latency\.+: .*max=1\.25s", lines[duration + 2]);
        Assert.Matches(@"^ +iteration_start_delay\.+: avg=250ms", lines[duration + 3]);
        Assert.Matches(@"^ +↳ .*service time.*intended start", lines[duration + 4]);
        Assert.Single(lines, l => l.Contains("http_req_latency", StringComparison.Ordinal));
        Assert.Single(lines, l => l.Contains("intended start", StringComparison.Ordinal));
    }

    [Fact]
    public void Closed_model_runs_print_no_latency_explanation()
    {
        Assert.DoesNotContain("intended start", Render(Runs.TypicalSummary()), StringComparison.Ordinal);
    }

    [Fact]
    public void Total_results_list_every_metric_with_data_alphabetically()
    {
        var run = Runs.Typical();
        run.Series(BuiltinMetrics.DataSent); // created but never recorded
        var lines = Render(run.Build([Runs.Browse])).Split('\n');

        var labels = lines
            .Select(l => Regex.Match(l, @"^    ([a-z_]+)\.+:").Groups[1].Value)
            .Where(l => l.Length > 0)
            .ToList();
        Assert.Equal(
            ["checks", "data_received", "http_req_duration", "http_req_failed", "http_reqs", "iteration_duration", "iterations", "vus"],
            labels);
    }

    [Fact]
    public void The_header_names_the_scenarios_and_counts_iterations()
    {
        var text = Render(Runs.TypicalSummary());

        Assert.Contains("scenarios: 2 scenarios, 30 max VUs, 1m2s max duration", text, StringComparison.Ordinal);
        Assert.Contains("* orders: 50.00 iterations/s for 20s (maxVUs: 5-20, gracefulStop: 30s) (max 20 VUs, 1m2s)", text, StringComparison.Ordinal);
        Assert.Contains("iterations: 500 completed, 2 interrupted, 7 dropped", text, StringComparison.Ordinal);
        Assert.DoesNotContain("outcome", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interrupted_run_says_so()
    {
        var text = Render(Runs.TypicalSummary() with { Outcome = RunOutcome.Interrupted });

        Assert.Contains("outcome: interrupted", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_scenario_gets_its_own_numbers_when_there_are_several()
    {
        var text = Render(Runs.TypicalSummary());
        var orders = text[text.IndexOf("█ SCENARIO orders", StringComparison.Ordinal)..];
        orders = orders[..orders.IndexOf("█ WARNINGS", StringComparison.Ordinal)];

        Assert.Matches(@"http_reqs\.+: 400 +40/s", orders);
        Assert.Matches(@"http_req_duration\.+: avg=800\.5ms +min=601ms", orders);
        Assert.Matches(@"iterations\.+: 200 +20/s", orders);
        Assert.Matches(@"iteration_duration\.+: avg=1\.9s +min=1\.8s", orders);
    }

    [Fact]
    public void A_single_scenario_needs_no_per_scenario_section()
    {
        var summary = Runs.TypicalSummary() with { Scenarios = [Runs.Browse] };

        Assert.DoesNotContain("SCENARIO", Render(summary), StringComparison.Ordinal);
    }

    [Fact]
    public void Warnings_come_last()
    {
        var text = Render(Runs.TypicalSummary()).TrimEnd('\n');

        Assert.EndsWith("! orders: 7 iterations were dropped because all 20 VUs were busy", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_output_has_no_ANSI_codes_and_color_output_marks_passes_green_and_failures_red()
    {
        var summary = Runs.TypicalSummary();

        var plain = ConsoleSummary.Render(summary, new ConsoleSummaryOptions(Color: false));
        var color = ConsoleSummary.Render(summary, new ConsoleSummaryOptions(Color: true));

        Assert.DoesNotContain('\u001b', plain);
        Assert.Contains("\u001b[32m✓\u001b[0m 'p(95)<975'", color, StringComparison.Ordinal);
        Assert.Contains("\u001b[31m✗\u001b[0m 'p(99)<500'", color, StringComparison.Ordinal);
        Assert.Contains("http_reqs\u001b[2m...", color, StringComparison.Ordinal);
        Assert.Equal(plain, Regex.Replace(color, @"\u001b\[\d+m", ""));
    }

    [Fact]
    public void Long_warnings_wrap_to_the_width()
    {
        var warning = string.Join(' ', Enumerable.Range(1, 40).Select(i => "word" + Runs.Invariant(i)));
        var summary = Runs.TypicalSummary() with { Warnings = [warning] };

        var text = ConsoleSummary.Render(summary, new ConsoleSummaryOptions(Width: 60));
        var warningLines = text[text.IndexOf("█ WARNINGS", StringComparison.Ordinal)..].Split('\n')[2..^1];

        Assert.True(warningLines.Length > 3);
        Assert.All(warningLines, l => Assert.True(l.Length <= 60, l));
        Assert.Equal(warning, string.Join(' ', warningLines.Select(l => l.Trim().TrimStart('!').Trim())));
    }

    [Fact]
    public void Labels_and_values_line_up_in_columns()
    {
        var lines = Render(Runs.TypicalSummary()).Split('\n')
            .Where(l => Regex.IsMatch(l, @"^    [a-z_]+\.+: "))
            .Take(8)
            .ToList();

        Assert.Single(lines.Select(l => l.IndexOf(':', StringComparison.Ordinal)).Distinct());
    }
}
