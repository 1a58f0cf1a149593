using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class ProfileTests
{
    private static readonly TestPlan Plan = Yaml.Load("""
        options:
          baseUrl: http://127.0.0.1:5000
        profiles:
          local: { vus: 2, duration: 10s }
          stress:
            stages:
              - { duration: 30s, target: 100 }
              - { duration: 1m, target: 200 }
        scenarios:
          browse:
            executor: constant-vus
            vus: 10
            duration: 5m
            startTime: 1m
            requests: [ { get: /items } ]
        """);

    [Fact]
    public void A_profile_replaces_every_scenarios_executor_and_starts_it_at_once()
    {
        var stress = PlanOverrides.UseProfile(Plan, "stress");

        var ramp = Assert.IsType<RampingVusExecutor>(stress.Scenarios[0].Executor);
        Assert.Equal([100, 200], ramp.Stages.Select(s => s.Target));
        Assert.Equal(TimeSpan.Zero, stress.Scenarios[0].StartTime);
        Assert.Equal(new ConstantVusExecutor(2, TimeSpan.FromSeconds(10)), PlanOverrides.UseProfile(Plan, "local").Scenarios[0].Executor);
    }

    [Fact]
    public void An_unknown_profile_names_the_ones_defined()
    {
        var error = Assert.Throws<PlanException>(() => PlanOverrides.UseProfile(Plan, "staging"));
        Assert.Contains("--profile 'staging' is not defined; the test has local, stress", error.Message, StringComparison.Ordinal);
    }
}
