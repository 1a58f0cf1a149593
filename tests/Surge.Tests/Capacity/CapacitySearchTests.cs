using Surge.Capacity;
using Surge.Plans;
using Surge.Thresholds;

namespace Surge.Tests.Capacity;

public sealed class CapacitySearchTests
{
    private static readonly CapacityOptions Defaults = new() { StartRate = 10, Factor = 2, Precision = 0.05 };

    /// <summary>A server whose thresholds hold up to <paramref name="truth"/> iterations/s and fail above it.</summary>
    private static CapacitySearch.StepRunner KnownCapacity(double truth, List<double>? asked = null) => (rate, _) =>
    {
        asked?.Add(rate);
        var passed = rate <= truth;
        return Task.FromResult(Step(rate, passed ? StepVerdict.Passed : StepVerdict.Failed, p95: passed ? 20 : 300));
    };

    private static CapacityStep Step(double rate, StepVerdict verdict, double p95 = 20) => new()
    {
        Rate = rate,
        Duration = TimeSpan.FromSeconds(10),
        Verdict = verdict,
        AchievedRate = rate,
        P95 = p95,
        ErrorRate = 0,
        Reasons = verdict == StepVerdict.Passed ? [] : [verdict.ToString()],
    };

    [Fact]
    public async Task The_rate_doubles_until_a_step_fails_then_bisects_until_pass_and_failure_are_within_the_precision()
    {
        var asked = new List<double>();

        var result = await CapacitySearch.RunAsync("s", Defaults, KnownCapacity(300, asked));

        // 10..160 pass, 320 fails; then 240 (gap 33%), 280 (14%), 300 (6.7%), 310 fails (3.3% <= 5%): done.
        Assert.Equal([10, 20, 40, 80, 160, 320, 240, 280, 300, 310], asked);
        Assert.Equal(300, result.Capacity);
        Assert.Equal(310, result.FirstFailure!.Rate);
        Assert.StartsWith("converged", result.Conclusion, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(37)]
    [InlineData(200)]
    [InlineData(499)]
    [InlineData(1234.5)]
    [InlineData(9999)]
    public async Task The_capacity_found_is_within_the_precision_below_the_truth_in_the_number_of_steps_the_rule_gives(double truth)
    {
        var result = await CapacitySearch.RunAsync("s", Defaults, KnownCapacity(truth));

        Assert.InRange(result.Capacity!.Value, truth / (1 + Defaults.Precision), truth);
        // Geometric: every start × 2^k up to the truth passes, then one fails. Bisection: the gap starts at most
        // (factor − 1) × the last pass and at least halves relative to it each step, so log2((factor − 1) / precision) steps.
        var geometric = (int)Math.Floor(Math.Log(truth / Defaults.StartRate, Defaults.Factor)) + 2;
        var bisection = (int)Math.Ceiling(Math.Log2((Defaults.Factor - 1) / Defaults.Precision));
        Assert.InRange(result.Steps.Count, geometric + 1, geometric + bisection);
        Assert.True(CapacitySearch.HasConverged(result.Capacity.Value, result.FirstFailure!.Rate, Defaults.Precision));
    }

    [Fact]
    public async Task When_even_the_first_step_fails_there_is_no_capacity_and_the_search_stops()
    {
        var result = await CapacitySearch.RunAsync("s", Defaults, KnownCapacity(5));

        Assert.Null(result.Capacity);
        Assert.Single(result.Steps);
        Assert.Contains("first step", result.Conclusion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_search_that_passes_the_max_rate_reports_the_max_rate_as_a_lower_bound()
    {
        var asked = new List<double>();

        var result = await CapacitySearch.RunAsync("s", Defaults with { MaxRate = 100 }, KnownCapacity(1e9, asked));

        Assert.Equal([10, 20, 40, 80, 100], asked);
        Assert.Equal(100, result.Capacity);
        Assert.Contains("at least", result.Conclusion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inconclusive_step_is_run_once_more_and_does_not_count_as_a_failure()
    {
        var asked = new List<double>();
        var inner = KnownCapacity(300, asked);
        var saturatedOnce = false;
        Task<CapacityStep> Flaky(double rate, CancellationToken token)
        {
            if (rate == 80 && !saturatedOnce)
            {
                saturatedOnce = true;
                asked.Add(rate);
                return Task.FromResult(Step(rate, StepVerdict.Inconclusive));
            }
            return inner(rate, token);
        }

        var result = await CapacitySearch.RunAsync("s", Defaults, Flaky);

        Assert.Equal([10, 20, 40, 80, 80, 160, 320, 240, 280, 300, 310], asked);
        Assert.Equal(300, result.Capacity);
        Assert.Equal(StepVerdict.Inconclusive, result.Steps[3].Verdict);
    }

    [Fact]
    public async Task Two_inconclusive_steps_in_a_row_stop_the_search_at_what_was_known_never_calling_it_a_server_failure()
    {
        Task<CapacityStep> SaturatesAbove100(double rate, CancellationToken _) =>
            Task.FromResult(Step(rate, rate > 100 ? StepVerdict.Inconclusive : StepVerdict.Passed));

        var result = await CapacitySearch.RunAsync("s", Defaults, SaturatesAbove100);

        Assert.Equal(80, result.Capacity);
        Assert.Null(result.FirstFailure);
        Assert.Equal([10, 20, 40, 80, 160, 160], result.Steps.Select(s => s.Rate));
        Assert.Contains("generator could not hold", result.Conclusion, StringComparison.Ordinal);
    }

    [Fact]
    public void The_knee_is_the_lowest_rate_whose_p95_is_at_least_twice_the_lowest_rate_steps_p95_leaving_out_inconclusive_steps()
    {
        var result = new CapacityResult
        {
            Scenario = "s",
            Options = Defaults,
            Conclusion = "",
            Steps =
            [
                Step(10, StepVerdict.Passed, p95: 20),
                Step(20, StepVerdict.Passed, p95: 22),
                Step(40, StepVerdict.Inconclusive, p95: 90),
                Step(80, StepVerdict.Passed, p95: 39),
                Step(160, StepVerdict.Failed, p95: 45),
                Step(120, StepVerdict.Passed, p95: 41),
            ],
        };

        Assert.Equal(120, result.Knee!.Rate);
        Assert.Equal(20, result.LowLoadP95);
    }

    [Fact]
    public async Task A_cancelled_search_ends_as_interrupted_with_the_steps_already_run()
    {
        using var cancel = new CancellationTokenSource();
        Task<CapacityStep> CancelAt40(double rate, CancellationToken _)
        {
            if (rate >= 40)
            {
                cancel.Cancel();
            }
            return Task.FromResult(Step(rate, StepVerdict.Passed));
        }

        var result = await CapacitySearch.RunAsync("s", Defaults, CancelAt40, cancellationToken: cancel.Token);

        Assert.True(result.Interrupted);
        Assert.Equal(20, result.Capacity); // the step cut short by the stop is not trusted
    }

    [Theory]
    [InlineData("p(95)<500", 100, 20)] // 100 beyond p(95) needs 2,000 iterations: 20 s at 100/s
    [InlineData("p(99)<500", 200, 50)] // 10,000 iterations at 200/s
    [InlineData("p(95)<500", 1000, 10)] // 2 s of iterations, but never shorter than the 10 s minimum
    [InlineData("avg<500", 5, 20)] // no percentile: 100 samples, 20 s at 5/s
    [InlineData("p(99.9)<500", 100, 120)] // 100,000 iterations would take 1000 s: capped at 2 minutes
    public void A_step_lasts_long_enough_for_the_judged_percentile_to_rest_on_100_samples_beyond_it(string threshold, double rate, int seconds)
    {
        var plan = PlanWith(threshold);

        var (duration, note) = StepDurationRule.For(plan, rate, new CapacityOptions());

        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
        Assert.Equal(seconds == 120, note is not null);
    }

    [Fact]
    public void A_fixed_step_duration_replaces_the_rule()
    {
        var (duration, _) = StepDurationRule.For(PlanWith("p(99)<500"), 10, new CapacityOptions { StepDuration = TimeSpan.FromSeconds(3) });

        Assert.Equal(TimeSpan.FromSeconds(3), duration);
    }

    [Fact]
    public void A_step_keeps_only_the_chosen_scenario_as_constant_arrival_rate_with_its_steps_and_vus_scaled_to_the_rate()
    {
        var plan = PlanWith("p(95)<500") with { Verify = [] };
        var scenario = plan.Scenarios[1];

        var step = CapacityPlan.ForStep(plan, scenario, 250, TimeSpan.FromSeconds(10));

        var only = Assert.Single(step.Scenarios);
        Assert.Equal("checkout", only.Name);
        Assert.Same(scenario.Steps, only.Steps);
        var executor = Assert.IsType<ConstantArrivalRateExecutor>(only.Executor);
        Assert.Equal(250, executor.Rate);
        Assert.Equal(TimeSpan.FromSeconds(10), executor.Duration);
        Assert.Equal(500, executor.MaxVus); // 2 s of iterations in flight at 250/s
        Assert.Equal(25, executor.PreAllocatedVus);
        Assert.Equal(plan.Thresholds, step.Thresholds);
    }

    [Fact]
    public void A_misspelled_scenario_is_an_error_that_suggests_the_closest_name()
    {
        var error = Assert.Throws<PlanException>(() => CapacityPlan.ChooseScenario(PlanWith("p(95)<500"), "chekout"));

        Assert.Contains("unknown scenario 'chekout'", error.Message, StringComparison.Ordinal);
        Assert.Contains("did you mean 'checkout'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_without_thresholds_is_an_error_because_nothing_would_judge_a_step()
    {
        var plan = PlanWith("p(95)<500") with { Thresholds = [] };

        var error = Assert.Throws<PlanException>(() => CapacityPlan.ChooseScenario(plan, "browse"));

        Assert.Contains("no thresholds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_test_with_several_scenarios_needs_one_named()
    {
        var error = Assert.Throws<PlanException>(() => CapacityPlan.ChooseScenario(PlanWith("p(95)<500"), null));

        Assert.Contains("--scenario (browse, checkout)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 2, 0.05, "--start-rate")]
    [InlineData(10, 1, 0.05, "--factor")]
    [InlineData(10, 2, 1.5, "--precision")]
    [InlineData(10, 2, 0, "--precision")]
    public void Options_that_cannot_drive_a_search_are_named_in_the_problems(double start, double factor, double precision, string option)
    {
        var problems = new CapacityOptions { StartRate = start, Factor = factor, Precision = precision }.Problems();

        Assert.Contains(problems, p => p.StartsWith(option, StringComparison.Ordinal));
    }

    private static TestPlan PlanWith(string threshold)
    {
        ScenarioPlan Scenario(string name) => new()
        {
            Name = name,
            Executor = new ConstantVusExecutor(5, TimeSpan.FromSeconds(30)),
            Steps = [],
        };
        return new TestPlan
        {
            Scenarios = [Scenario("browse"), Scenario("checkout")],
            Thresholds =
            [
                new ThresholdPlan { Key = MetricKey.Parse("http_req_duration"), Expression = ThresholdExpression.Parse(threshold) },
            ],
        };
    }
}
