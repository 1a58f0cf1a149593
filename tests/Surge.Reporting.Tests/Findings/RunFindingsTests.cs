using Surge.Reporting.Findings;
using Surge.Results;

namespace Surge.Reporting.Tests.Findings;

public sealed class RunFindingsTests
{
    [Fact]
    public void Best_and_worst_endpoints_by_p95_and_by_error_rate_are_named()
    {
        var findings = RunFindings.From(TroubledRun.Build());

        Assert.Equal("GET " + TroubledRun.Health, findings.FastestByP95!.Label);
        Assert.Equal("POST " + TroubledRun.Cart, findings.SlowestByP95!.Label);
        Assert.Equal("GET " + TroubledRun.Health, findings.LowestErrorRate!.Label);
        Assert.Equal("POST " + TroubledRun.Cart, findings.HighestErrorRate!.Label);
        Assert.Equal(0.5, findings.HighestErrorRate.ErrorRate);
    }

    [Fact]
    public void Failing_endpoints_come_highest_error_rate_first_with_each_cause_named_once()
    {
        var findings = RunFindings.From(TroubledRun.Build());

        Assert.Equal(["POST " + TroubledRun.Cart, "GET " + TroubledRun.Items], findings.Failing.Select(e => e.Label).ToArray());
        var lines = findings.Sections().Single(s => s.Title == "Failing endpoints").Lines.Select(l => l.ToString()).ToArray();
        // The timeout is one request with status 0 and error code request_timeout: one cause, counted once.
        Assert.Equal($"POST {TroubledRun.Cart}: 50.00% of 2 requests failed (request_timeout ×1).", lines[0]);
        Assert.Equal($"GET {TroubledRun.Items}: 20.00% of 10 requests failed (status 503 ×2).", lines[1]);
    }

    [Fact]
    public void Thresholds_are_ordered_by_relative_margin_with_the_failed_one_first()
    {
        var findings = RunFindings.From(TroubledRun.Build());

        // p(99) of 1..10 ms is 10 ms against 9: 1/9 past. p(95) of the 17 requests is the 5 s timeout against
        // 6 s: 1/6 to spare. 3 of 17 failed against 0.5: (0.5 - 3/17) / 0.5 to spare.
        var margins = findings.ClosestThresholds;
        Assert.Equal(["p(99)<9", "p(95)<6000", "rate<0.5"], margins.Select(m => m.Threshold.Expression.Text).ToArray());
        Assert.Equal(-1.0 / 9, margins[0].Margin, 3);
        Assert.Equal(1.0 / 6, margins[1].Margin, 3);
        Assert.Equal((0.5 - 3.0 / 17) / 0.5, margins[2].Margin, 9);
    }

    [Theory]
    [InlineData(">", 0.99, 1.0, 1.0)]     // nothing failed: the whole 1% budget is left
    [InlineData(">", 0.99, 0.995, 0.5)]   // half of the 1% budget used
    [InlineData("<", 0.01, 0.0, 1.0)]
    [InlineData("<", 0.01, 0.02, -1.0)]   // failed by a whole budget
    public void A_rate_threshold_margin_is_the_share_of_its_error_budget_left(string op, double bound, double observed, double margin)
    {
        var expression = Thresholds.ThresholdExpression.Parse($"rate{op}{bound.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        var threshold = new ThresholdResult(Thresholds.MetricKey.Parse("checks"), expression, observed, expression.IsSatisfiedBy(observed), false);

        Assert.Equal(margin, ThresholdMargin.Of(threshold, isShare: true)!.Margin, 9);
    }

    [Fact]
    public void Saturation_names_the_knee_the_dropped_iterations_and_the_503_spike_with_its_recovery()
    {
        var findings = RunFindings.From(TroubledRun.Build());

        Assert.Equal(TimeSpan.FromSeconds(10), findings.Knee!.At);
        Assert.Equal(["orders"], findings.DroppingScenarios.Select(s => s.Name).ToArray());
        var spike = Assert.Single(findings.Spikes);
        Assert.Equal(TimeSpan.FromSeconds(12), spike.Start);
        Assert.Equal(TimeSpan.FromSeconds(3), spike.RecoveryTime);
    }

    [Fact]
    public void A_run_with_one_endpoint_says_its_p95_and_error_rate_once()
    {
        var run = new RunBuilder();
        (string, string)[] tags = [("method", "GET"), ("name", "/only"), ("status", "200")];
        for (var ms = 1; ms <= 100; ms++)
        {
            run.Series(Metrics.BuiltinMetrics.HttpReqs, tags).AddCounter(1);
            run.Series(Metrics.BuiltinMetrics.HttpReqDuration, tags).AddTrend(ms);
            run.Series(Metrics.BuiltinMetrics.HttpReqFailed, tags).AddRate(false);
        }

        var line = Assert.Single(RunFindings.From(run.Build([Runs.Browse])).Sections()[0].Lines).ToString();

        Assert.Equal("One endpoint, GET /only: p95 95.04ms, error rate 0.00%.", line); // 95 ms, as the histogram holds it (within 1/1024)
    }

    [Fact]
    public void Next_steps_follow_from_what_was_found()
    {
        var steps = RunFindings.From(TroubledRun.Build()).Sections().Single(s => s.Title == "Next steps").Lines
            .Select(l => l.ToString()).ToList();

        Assert.Contains(steps, s => s.StartsWith("Treat about 1000 req/s as the current capacity", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.StartsWith($"Check timeouts and connection limits for POST {TroubledRun.Cart}", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.StartsWith("The target shed load (2 × 503)", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.StartsWith("Raise maxVUs of scenario orders (it dropped 7 iterations)", StringComparison.Ordinal));
        Assert.Contains(steps, s => s.StartsWith("Threshold http_req_duration{name:/items} p(99)<9 failed", StringComparison.Ordinal));
        Assert.DoesNotContain(steps, s => s.Contains("rate-limited", StringComparison.Ordinal)); // no endpoint answered 429
    }

    [Fact]
    public void A_run_with_level_latency_and_no_drops_or_spikes_shows_no_saturation()
    {
        var summary = Runs.Typical(new RunBuilder()).Build([Runs.Browse]) with { Timeline = Timelines.Flat() };

        var sections = RunFindings.From(summary).Sections();

        Assert.Equal("No sign of saturation: latency did not bend against throughput, no iteration was dropped and errors did not spike.",
            Assert.Single(sections.Single(s => s.Title == "Saturation").Lines).ToString());
        var steps = sections.Single(s => s.Title == "Next steps").Lines.Select(l => l.ToString()).ToList();
        Assert.DoesNotContain(steps, s => s.Contains("capacity", StringComparison.Ordinal));
        Assert.DoesNotContain(steps, s => s.Contains("maxVUs", StringComparison.Ordinal));
    }

    [Fact]
    public void An_interrupted_run_says_so_first()
    {
        var summary = TroubledRun.Build() with { Outcome = RunOutcome.Interrupted };

        var first = RunFindings.From(summary).Sections().Single(s => s.Title == "Next steps").Lines[0];

        Assert.StartsWith("The run was stopped early", first.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A flat run whose generator used <paramref name="cpu"/> of its cores in each second.</summary>
    private static RunSummary WithGeneratorCpu(params double[] cpu) =>
        Runs.Typical(new RunBuilder()).Build([Runs.Browse]) with
        {
            Timeline =
            [
                .. Timelines.Flat().Zip(cpu, (point, share) => point with
                {
                    Series = new Dictionary<string, SliceStats> { [Metrics.BuiltinMetrics.GeneratorCpu.Name] = new(1, share, share, share) },
                }),
            ],
        };

    [Fact]
    public void A_generator_saturated_for_three_seconds_or_more_is_named_first_under_saturation_with_its_span_and_a_next_step()
    {
        var summary = WithGeneratorCpu([.. Enumerable.Repeat(0.4, 12), .. Enumerable.Repeat(0.97, 8)]);

        var sections = RunFindings.From(summary).Sections();

        var saturation = sections.Single(s => s.Title == "Saturation").Lines.Select(l => l.ToString()).ToList();
        Assert.Equal("The generator was the bottleneck from 0:12 to 0:20: figures after 0:12 describe Surge, not the server (CPU at 97% of what it may use).", saturation[0]);
        Assert.DoesNotContain(saturation, l => l.StartsWith("No sign of saturation", StringComparison.Ordinal));
        var steps = sections.Single(s => s.Title == "Next steps").Lines.Select(l => l.ToString()).ToList();
        Assert.Contains(steps, s => s.StartsWith("Give the generator room before reading the server's numbers", StringComparison.Ordinal));
    }

    [Fact]
    public void A_generator_busy_for_less_than_three_seconds_is_not_called_the_bottleneck()
    {
        var summary = WithGeneratorCpu([.. Enumerable.Repeat(0.4, 10), 0.99, 0.99, .. Enumerable.Repeat(0.4, 8)]);

        var findings = RunFindings.From(summary);

        Assert.Empty(findings.GeneratorSaturated);
        Assert.DoesNotContain(findings.Sections().SelectMany(s => s.Lines), l => l.ToString().Contains("bottleneck", StringComparison.Ordinal));
    }
}
