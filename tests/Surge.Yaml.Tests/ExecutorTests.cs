using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class ExecutorTests
{
    private const string Requests = """
            requests:
              - url: http://127.0.0.1:5000/
        """;

    private static string Scenario(string options) => $"""
        scenarios:
          s:
        {Indent(options)}
        {Requests}
        """;

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(l => "    " + l));

    [Fact]
    public void Constant_vus_reads_vus_and_duration()
    {
        var executor = Yaml.Executor<ConstantVusExecutor>(Scenario("executor: constant-vus\nvus: 10\nduration: 1m30s"));
        Assert.Equal(new ConstantVusExecutor(10, TimeSpan.FromSeconds(90)), executor);
    }

    [Fact]
    public void Constant_vus_defaults_to_one_vu()
    {
        var executor = Yaml.Executor<ConstantVusExecutor>(Scenario("executor: constant-vus\nduration: 30s"));
        Assert.Equal(1, executor.Vus);
    }

    [Fact]
    public void Ramping_vus_reads_stages_in_order()
    {
        var executor = Yaml.Executor<RampingVusExecutor>(Scenario(
            "executor: ramping-vus\nstartVUs: 2\ngracefulRampDown: 5s\nstages:\n  - { duration: 10s, target: 20 }\n  - { duration: 1m, target: 0 }"));
        Assert.Equal(2, executor.StartVus);
        Assert.Equal(TimeSpan.FromSeconds(5), executor.GracefulRampDown);
        Assert.Equal([new Stage(TimeSpan.FromSeconds(10), 20), new Stage(TimeSpan.FromMinutes(1), 0)], executor.Stages);
    }

    [Fact]
    public void Ramping_vus_defaults_to_one_start_vu_and_30s_ramp_down()
    {
        var executor = Yaml.Executor<RampingVusExecutor>(Scenario("executor: ramping-vus\nstages: [{ duration: 10s, target: 5 }]"));
        Assert.Equal(1, executor.StartVus);
        Assert.Equal(TimeSpan.FromSeconds(30), executor.GracefulRampDown);
    }

    [Fact]
    public void Constant_arrival_rate_reads_every_option()
    {
        var executor = Yaml.Executor<ConstantArrivalRateExecutor>(Scenario(
            "executor: constant-arrival-rate\nrate: 50\ntimeUnit: 2s\nduration: 20s\npreAllocatedVUs: 5\nmaxVUs: 20"));
        Assert.Equal(new ConstantArrivalRateExecutor(50, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(20), 5, 20), executor);
    }

    [Fact]
    public void Constant_arrival_rate_defaults_to_a_1s_time_unit_and_max_vus_equal_to_preallocated()
    {
        var executor = Yaml.Executor<ConstantArrivalRateExecutor>(Scenario(
            "executor: constant-arrival-rate\nrate: 2.5\nduration: 20s\npreAllocatedVUs: 7"));
        Assert.Equal(new ConstantArrivalRateExecutor(2.5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20), 7, 7), executor);
    }

    [Fact]
    public void Ramping_arrival_rate_reads_every_option()
    {
        var executor = Yaml.Executor<RampingArrivalRateExecutor>(Scenario(
            "executor: ramping-arrival-rate\nstartRate: 10\ntimeUnit: 1m\npreAllocatedVUs: 3\nmaxVUs: 9\nstages:\n  - { duration: 30s, target: 12.5 }"));
        Assert.Equal(10, executor.StartRate);
        Assert.Equal(TimeSpan.FromMinutes(1), executor.TimeUnit);
        Assert.Equal((3, 9), (executor.PreAllocatedVus, executor.MaxVus));
        Assert.Equal([new Stage(TimeSpan.FromSeconds(30), 12.5)], executor.Stages);
    }

    [Fact]
    public void Ramping_arrival_rate_defaults_to_start_rate_zero_and_a_1s_time_unit()
    {
        var executor = Yaml.Executor<RampingArrivalRateExecutor>(Scenario(
            "executor: ramping-arrival-rate\npreAllocatedVUs: 4\nstages: [{ duration: 1m, target: 100 }]"));
        Assert.Equal(0, executor.StartRate);
        Assert.Equal(TimeSpan.FromSeconds(1), executor.TimeUnit);
        Assert.Equal((4, 4), (executor.PreAllocatedVus, executor.MaxVus));
    }

    [Fact]
    public void Shared_iterations_reads_every_option()
    {
        var executor = Yaml.Executor<SharedIterationsExecutor>(Scenario("executor: shared-iterations\nvus: 4\niterations: 200\nmaxDuration: 2m"));
        Assert.Equal(new SharedIterationsExecutor(4, 200, TimeSpan.FromMinutes(2)), executor);
    }

    [Fact]
    public void Shared_iterations_defaults_to_one_vu_one_iteration_and_10m()
    {
        var executor = Yaml.Executor<SharedIterationsExecutor>(Scenario("executor: shared-iterations"));
        Assert.Equal(new SharedIterationsExecutor(1, 1, TimeSpan.FromMinutes(10)), executor);
    }

    [Fact]
    public void Per_vu_iterations_reads_every_option()
    {
        var executor = Yaml.Executor<PerVuIterationsExecutor>(Scenario("executor: per-vu-iterations\nvus: 3\niterations: 7\nmaxDuration: 45s"));
        Assert.Equal(new PerVuIterationsExecutor(3, 7, TimeSpan.FromSeconds(45)), executor);
    }

    [Fact]
    public void Per_vu_iterations_defaults_to_one_vu_one_iteration_and_10m()
    {
        var executor = Yaml.Executor<PerVuIterationsExecutor>(Scenario("executor: per-vu-iterations"));
        Assert.Equal(new PerVuIterationsExecutor(1, 1, TimeSpan.FromMinutes(10)), executor);
    }

    [Fact]
    public void Scenario_options_have_k6_defaults()
    {
        var scenario = Yaml.OnlyScenario(Scenario("executor: per-vu-iterations"));
        Assert.Equal("s", scenario.Name);
        Assert.Equal(TimeSpan.Zero, scenario.StartTime);
        Assert.Equal(TimeSpan.FromSeconds(30), scenario.GracefulStop);
        Assert.Empty(scenario.Tags);
        Assert.Empty(scenario.Env);
        Assert.Equal(new SourceLocation(Yaml.File, 2, 3), scenario.Location);
    }

    [Fact]
    public void Scenario_options_are_read()
    {
        var scenario = Yaml.OnlyScenario(Scenario(
            "executor: per-vu-iterations\nstartTime: 1m\ngracefulStop: 0s\ntags: { flow: checkout }\nenv: { TOKEN: abc, EMPTY: '' }"));
        Assert.Equal(TimeSpan.FromMinutes(1), scenario.StartTime);
        Assert.Equal(TimeSpan.Zero, scenario.GracefulStop);
        Assert.Equal(new Dictionary<string, string> { ["flow"] = "checkout" }, scenario.Tags);
        Assert.Equal(new Dictionary<string, string> { ["TOKEN"] = "abc", ["EMPTY"] = "" }, scenario.Env);
    }

    [Fact]
    public void Scenarios_keep_file_order()
    {
        var plan = Yaml.Load("""
            scenarios:
              zeta:
                executor: shared-iterations
                requests: [{ url: "http://127.0.0.1/" }]
              alpha:
                executor: shared-iterations
                requests: [{ url: "http://127.0.0.1/" }]
            """);
        Assert.Equal(["zeta", "alpha"], plan.Scenarios.Select(s => s.Name));
    }

    [Theory]
    [InlineData("executor: constant-vus\nvus: 0\nduration: 30s", "vus must be at least 1, got 0")]
    [InlineData("executor: constant-vus\nduration: 0s", "duration must be longer than 0s, got 0s")]
    [InlineData("executor: constant-vus", "scenario 's' is missing 'duration'")]
    [InlineData("executor: constant-vus\nvus: 2.5\nduration: 1s", "vus must be a whole number, got '2.5'")]
    [InlineData("executor: ramping-vus\nstages: []", "stages must list at least one stage")]
    [InlineData("executor: ramping-vus\nstages: [{ duration: 1s, target: -1 }]", "stage target must be at least 0, got -1")]
    [InlineData("executor: ramping-vus\nstartVUs: 0\nstages: [{ duration: 1s, target: 0 }]", "no VU would ever run")]
    [InlineData("executor: ramping-vus\nstages: [{ duration: 0s, target: 3 }]", "stages last 0s in total")]
    [InlineData("executor: ramping-vus\nstages: [{ duration: 1s, traget: 3 }]", "unknown key 'traget' in a stage; did you mean 'target'?")]
    [InlineData("executor: constant-arrival-rate\nrate: 0\nduration: 1s\npreAllocatedVUs: 1", "rate must be more than 0, got 0")]
    [InlineData("executor: constant-arrival-rate\nrate: 1\nduration: 1s", "is missing 'preAllocatedVUs'")]
    [InlineData("executor: constant-arrival-rate\nrate: 1\nduration: 1s\npreAllocatedVUs: 5\nmaxVUs: 3", "maxVUs (3) must be at least preAllocatedVUs (5)")]
    [InlineData("executor: constant-arrival-rate\nrate: 1\nduration: 1s\npreAllocatedVUs: 0", "no VU could ever run")]
    [InlineData("executor: constant-arrival-rate\nrate: 1\ntimeUnit: 0s\nduration: 1s\npreAllocatedVUs: 1", "timeUnit must be longer than 0s")]
    [InlineData("executor: shared-iterations\nvus: 5\niterations: 2", "iterations (2) can't be less than vus (5)")]
    [InlineData("executor: per-vu-iterations\niterations: 0", "iterations must be at least 1, got 0")]
    [InlineData("executor: per-vu-iterations\nmaxDuration: 0s", "maxDuration must be longer than 0s")]
    [InlineData("executor: constant-vus\nduration: 30s\nrate: 5", "'rate' is not an option of constant-vus (it belongs to constant-arrival-rate); constant-vus takes vus, duration")]
    [InlineData("executor: shared-iterations\nstages: []", "'stages' is not an option of shared-iterations (it belongs to ramping-vus and ramping-arrival-rate)")]
    public void Invalid_executor_options_are_rejected_with_a_reason(string options, string expected)
    {
        var error = Yaml.Error(Scenario(options));
        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
        Assert.NotNull(error.Location);
    }

    [Fact]
    public void An_arrival_rate_scenario_drops_arrivals_when_all_vus_are_busy_unless_told_to_queue_them()
    {
        var dropping = Yaml.Executor<ConstantArrivalRateExecutor>(Scenario("executor: constant-arrival-rate\nrate: 50\nduration: 20s\npreAllocatedVUs: 5"));
        var queueing = Yaml.Executor<RampingArrivalRateExecutor>(Scenario(
            "executor: ramping-arrival-rate\nstages: [{ duration: 10s, target: 50 }]\npreAllocatedVUs: 5\nwhenAllVUsBusy: queue\nmaxQueued: 300"));
        var queueingByDefault = Yaml.Executor<ConstantArrivalRateExecutor>(Scenario(
            "executor: constant-arrival-rate\nrate: 50\nduration: 20s\npreAllocatedVUs: 5\nwhenAllVUsBusy: queue"));

        Assert.Equal(WhenAllVusBusy.Drop, dropping.WhenAllVusBusy);
        Assert.Equal((WhenAllVusBusy.Queue, 300), (queueing.WhenAllVusBusy, queueing.MaxQueued));
        Assert.Equal(ArrivalRateExecutor.DefaultMaxQueued, queueingByDefault.MaxQueued);
    }

    [Theory]
    [InlineData("whenAllVUsBusy: wait", 7, "whenAllVUsBusy")]
    [InlineData("maxQueued: 10", 7, "maxQueued bounds the arrivals waiting for a VU, so it needs whenAllVUsBusy: queue")]
    [InlineData("whenAllVUsBusy: queue\nmaxQueued: 0", 8, "maxQueued must be at least 1, got 0")]
    public void Invalid_queueing_options_are_rejected_where_they_are_written(string options, int line, string expected)
    {
        var error = Yaml.Error(Scenario("executor: constant-arrival-rate\nrate: 50\nduration: 20s\npreAllocatedVUs: 5\n" + options));
        Assert.Contains(expected, error.Reason, StringComparison.Ordinal);
        Assert.Equal(line, error.Location!.Line);
    }

    [Fact]
    public void Externally_controlled_reads_vus_max_vus_and_duration()
    {
        var executor = Yaml.Executor<ExternallyControlledExecutor>(Scenario("executor: externally-controlled\nvus: 2\nmaxVUs: 50\nduration: 10m"));
        Assert.Equal(new ExternallyControlledExecutor(2, 50, TimeSpan.FromMinutes(10)), executor);
        Assert.Equal(50, executor.PeakVus);
    }

    [Fact]
    public void Externally_controlled_without_duration_runs_until_stopped_with_max_vus_defaulting_to_vus()
    {
        var executor = Yaml.Executor<ExternallyControlledExecutor>(Scenario("executor: externally-controlled\nvus: 3"));
        Assert.Equal(new ExternallyControlledExecutor(3, 3, TimeSpan.Zero), executor);
        Assert.True(executor.RunsUntilStopped);
    }

    [Fact]
    public void Externally_controlled_may_start_with_no_vu_below_its_max()
    {
        var executor = Yaml.Executor<ExternallyControlledExecutor>(Scenario("executor: externally-controlled\nvus: 0\nmaxVUs: 4\nduration: 0s"));
        Assert.Equal(new ExternallyControlledExecutor(0, 4, TimeSpan.Zero), executor);
    }

    [Fact]
    public void Externally_controlled_max_vus_below_vus_is_rejected_at_max_vus()
    {
        // Line 4 of the file: scenarios, s, executor, vus, then maxVUs at column 13 (its value).
        var error = Yaml.ErrorAt(Scenario("executor: externally-controlled\nvus: 5\nmaxVUs: 2"), 5, 13);
        Assert.Equal("maxVUs (2) must be at least vus (5)", error.Reason);
    }

    [Fact]
    public void Externally_controlled_with_no_vu_ever_is_rejected()
    {
        var error = Yaml.Error(Scenario("executor: externally-controlled\nvus: 0"));
        Assert.Contains("no VU could ever run", error.Reason, StringComparison.Ordinal);
        Assert.NotNull(error.Location);
    }

    [Fact]
    public void A_scenario_without_an_executor_is_rejected_at_its_name()
    {
        var error = Yaml.ErrorAt("scenarios:\n  s:\n    requests: [{ url: 'http://127.0.0.1/' }]\n", 2, 3);
        Assert.StartsWith("scenario 's' is missing 'executor'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_scenario_name_with_other_characters_is_rejected()
    {
        var error = Yaml.ErrorAt("scenarios:\n  my scenario:\n    executor: shared-iterations\n", 2, 3);
        Assert.Contains("letters, digits, '_' and '-'", error.Reason, StringComparison.Ordinal);
    }
}
