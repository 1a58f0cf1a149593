using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class ShortcutTests
{
    private const string Requests = "requests:\n  - url: http://127.0.0.1:5000/\n";

    [Fact]
    public void Vus_and_duration_make_a_constant_vus_scenario_named_default()
    {
        var scenario = Yaml.OnlyScenario("vus: 10\nduration: 30s\n" + Requests);
        Assert.Equal("default", scenario.Name);
        Assert.Equal(new ConstantVusExecutor(10, TimeSpan.FromSeconds(30)), scenario.Executor);
        Assert.Equal(new SourceLocation(Yaml.File, 3, 1), scenario.Location);
        Assert.Equal("http://127.0.0.1:5000/", Assert.IsType<RequestStep>(Assert.Single(scenario.Steps)).Url);
    }

    [Fact]
    public void Duration_alone_runs_one_vu()
    {
        Assert.Equal(new ConstantVusExecutor(1, TimeSpan.FromMinutes(1)), Yaml.OnlyScenario("duration: 1m\n" + Requests).Executor);
    }

    [Fact]
    public void Stages_make_a_ramping_vus_scenario_starting_at_vus()
    {
        var executor = Yaml.Executor<RampingVusExecutor>("vus: 3\nstages:\n  - { duration: 10s, target: 8 }\n" + Requests);
        Assert.Equal(3, executor.StartVus);
        Assert.Equal([new Stage(TimeSpan.FromSeconds(10), 8)], executor.Stages);
        Assert.Equal(TimeSpan.FromSeconds(30), executor.GracefulRampDown);
    }

    [Fact]
    public void Iterations_make_a_shared_iterations_scenario_capped_by_duration()
    {
        var executor = Yaml.Executor<SharedIterationsExecutor>("vus: 2\niterations: 50\nduration: 20s\n" + Requests);
        Assert.Equal(new SharedIterationsExecutor(2, 50, TimeSpan.FromSeconds(20)), executor);
    }

    [Fact]
    public void Iterations_without_duration_are_capped_at_10m()
    {
        var executor = Yaml.Executor<SharedIterationsExecutor>("iterations: 5\n" + Requests);
        Assert.Equal(new SharedIterationsExecutor(1, 5, TimeSpan.FromMinutes(10)), executor);
    }

    [Fact]
    public void Requests_alone_run_one_iteration()
    {
        Assert.Equal(new SharedIterationsExecutor(1, 1, TimeSpan.FromMinutes(10)), Yaml.OnlyScenario(Requests).Executor);
    }

    [Fact]
    public void Mixing_shortcuts_with_scenarios_is_rejected_at_the_shortcut()
    {
        var error = Yaml.ErrorAt("scenarios:\n  s:\n    executor: shared-iterations\n    " + "requests: [{ url: 'http://127.0.0.1/' }]\nvus: 5\n", 5, 1);
        Assert.Contains("top-level 'vus' is a shortcut for a single-scenario test and cannot be combined with scenarios", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Stages_with_duration_are_rejected()
    {
        var error = Yaml.ErrorAt("stages: [{ duration: 1s, target: 1 }]\nduration: 5s\n" + Requests, 2, 1);
        Assert.Contains("'duration' and 'stages' cannot be used together", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Shortcuts_without_requests_are_rejected()
    {
        var error = Yaml.ErrorAt("vus: 5\nduration: 5s\n", 1, 1);
        Assert.Contains("top-level 'vus' needs top-level requests:", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_without_scenarios_or_requests_is_rejected()
    {
        var error = Yaml.ErrorAt("options:\n  tags: { a: b }\n", 1, 1);
        Assert.StartsWith("the test has no scenarios", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_is_rejected()
    {
        var error = Yaml.ErrorAt("# only a comment\n", 1, 1);
        Assert.StartsWith("the test file is empty", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_scenarios_mapping_is_rejected()
    {
        var error = Yaml.ErrorAt("scenarios: {}\n", 1, 1);
        Assert.StartsWith("scenarios is empty", error.Reason, StringComparison.Ordinal);
    }
}
