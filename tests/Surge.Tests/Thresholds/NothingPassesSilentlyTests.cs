using Surge.Metrics;
using Surge.Plans;
using Surge.Results;
using Surge.Tests.Support;
using Surge.Thresholds;

namespace Surge.Tests.Thresholds;

public sealed class NothingPassesSilentlyTests
{
    private static IReadOnlyList<ThresholdResult> Judge(MetricAggregate? values, params ThresholdPlan[] plans) =>
        ThresholdEvaluator.Evaluate(plans, _ => values, TimeSpan.FromSeconds(10));

    [Theory]
    [InlineData(MetricKind.Trend, "p(95)<500")]
    [InlineData(MetricKind.Trend, "avg<200")]
    [InlineData(MetricKind.Rate, "rate<0.01")]
    [InlineData(MetricKind.Gauge, "value>0")]
    public void A_statistic_over_no_samples_fails_with_no_value(MetricKind kind, string expression)
    {
        var result = Assert.Single(Judge(new MetricAggregate(kind), TestPlans.Threshold("m", expression)));

        Assert.False(result.Passed);
        Assert.Null(result.Observed);
    }

    [Fact]
    public void A_missing_metric_fails_with_no_value_too()
    {
        var result = Assert.Single(Judge(null, TestPlans.Threshold("m", "p(95)<500")));

        Assert.False(result.Passed);
        Assert.Null(result.Observed);
    }

    [Fact]
    public void A_threshold_that_allows_no_data_passes_on_no_samples()
    {
        var plan = TestPlans.Threshold("m", "rate<0.01") with { AllowNoData = true };

        var result = Assert.Single(Judge(new MetricAggregate(MetricKind.Rate), plan));

        Assert.True(result.Passed);
        Assert.Null(result.Observed);
    }

    [Theory]
    [InlineData(MetricKind.Counter, "count<1")]
    [InlineData(MetricKind.Counter, "rate<5")]
    [InlineData(MetricKind.Trend, "count<1")]
    public void A_count_of_nothing_is_zero_and_is_judged(MetricKind kind, string expression)
    {
        var result = Assert.Single(Judge(new MetricAggregate(kind), TestPlans.Threshold("m", expression)));

        Assert.True(result.Passed);
        Assert.Equal(0, result.Observed);
    }

    [Fact]
    public async Task A_misspelt_tag_filter_fails_for_lack_of_data_and_warns_with_the_name_it_meant()
    {
        await using var server = await CountingServer.StartAsync();

        var summary = await Load.Plan()
            .Scenario("shop", s => s.Iterations(vus: 2, iterations: 10)
                .Get(server.Url("hello"), "products")
                .Get(server.Url("hello"), "basket"))
            .Threshold("http_req_duration{name:prodcts}", "p(95)<500")
            .Threshold("http_reqs{name:prodcts}", "count<100")
            .Build()
            .RunAsync();

        Assert.Equal(20, server.Requests);
        Assert.False(summary.Thresholds[0].Passed);
        Assert.Null(summary.Thresholds[0].Observed);
        // A count of 0 meets count<100, so only the warning tells the user that the filter matched nothing.
        Assert.True(summary.Thresholds[1].Passed);
        var warnings = summary.Warnings.Where(w => w.Contains("prodcts", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.Equal(
            "threshold on http_req_duration{name:prodcts} matches nothing this run measured: no http_req_duration sample has "
            + "name 'prodcts'; did you mean 'products'? Seen: basket, products",
            warnings[0]);
    }

    [Fact]
    public async Task A_filter_on_a_tag_no_sample_carries_says_so()
    {
        await using var server = await CountingServer.StartAsync();

        var summary = await Load.Plan()
            .Scenario("shop", s => s.Iterations(vus: 1, iterations: 3).Get(server.Url("hello"), "products"))
            .Threshold("http_req_duration{nmae:products}", "p(95)<500")
            .Build()
            .RunAsync();

        Assert.Contains("threshold on http_req_duration{nmae:products} matches nothing this run measured: "
            + "no http_req_duration sample carries the tag 'nmae'", summary.Warnings);
    }

    [Fact]
    public async Task A_filter_that_matches_raises_no_warning()
    {
        await using var server = await CountingServer.StartAsync();

        var summary = await Load.Plan()
            .Scenario("shop", s => s.Iterations(vus: 1, iterations: 3).Get(server.Url("hello"), "products"))
            .Threshold("http_req_duration{name:products}", "p(95)<5000")
            .Build()
            .RunAsync();

        Assert.True(summary.ThresholdsPassed);
        Assert.DoesNotContain(summary.Warnings, w => w.Contains("threshold on", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_threshold_without_data_yet_does_not_abort_the_run()
    {
        await using var server = await CountingServer.StartAsync();

        // Judged every interval while the run goes on: "no data yet" is not a failure to abort on.
        var summary = await Load.Plan()
            .Scenario("shop", s => s.ConstantVus(1, TimeSpan.FromSeconds(1.3)).Get(server.Url("hello"), "products"))
            .Threshold("http_req_duration{name:never}", "p(95)<500", abortOnFail: true)
            .Build()
            .RunAsync();

        Assert.Equal(RunOutcome.Completed, summary.Outcome);
        Assert.False(summary.ThresholdsPassed);
    }

    [Fact]
    public async Task The_builder_opt_out_lets_a_threshold_pass_on_no_data()
    {
        await using var server = await CountingServer.StartAsync();

        var summary = await Load.Plan()
            .Scenario("shop", s => s.Iterations(vus: 1, iterations: 2).Get(server.Url("hello"), "products"))
            .Threshold("checks", "rate==1", allowNoData: true)
            .Build()
            .RunAsync();

        Assert.True(summary.ThresholdsPassed);
        Assert.Null(Assert.Single(summary.Thresholds).Observed);
    }

    [Fact]
    public async Task A_run_a_threshold_aborted_fails_even_when_its_final_totals_recover()
    {
        // The VU fails once and waits; the abort that failure causes ends the wait, and the VU records ten passes on its
        // way out, so the final totals (10 of 11) pass the very threshold that aborted the run. k6 exits 99 here too.
        var summary = await Load.Plan()
            .Rate("ok")
            .Scenario("recovers", s => s.ConstantVus(1, TimeSpan.FromSeconds(30)).Run(async ctx =>
            {
                ctx.Rate("ok", false);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(30), ctx.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    for (var i = 0; i < 10; i++)
                    {
                        ctx.Rate("ok", true);
                    }
                }
            }))
            .Threshold("ok", "rate>0.5", abortOnFail: true)
            .Build()
            .RunAsync();

        Assert.Equal(RunOutcome.AbortedByThreshold, summary.Outcome);
        Assert.Equal(10.0 / 11, Assert.Single(summary.Thresholds).Observed!.Value, 9);
        Assert.True(summary.Thresholds[0].Passed);
        Assert.False(summary.ThresholdsPassed);
        Assert.StartsWith("threshold 'ok rate>0.5' failed at ", summary.Warnings[0], StringComparison.Ordinal);
        Assert.EndsWith(" with 0 and aborted the run (abortOnFail)", summary.Warnings[0], StringComparison.Ordinal);
    }
}
