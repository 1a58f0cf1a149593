using Surge.Plans;

namespace Surge.Tests.Plans;

public sealed class PlanOverridesTests
{
    private static readonly TestPlan TwoScenarios = new()
    {
        Scenarios =
        [
            new ScenarioPlan { Name = "early", Executor = new ConstantVusExecutor(2, TimeSpan.FromMinutes(1)), Steps = [] },
            new ScenarioPlan { Name = "late", Executor = new ConstantVusExecutor(2, TimeSpan.FromMinutes(1)), Steps = [], StartTime = TimeSpan.FromMinutes(3) },
        ],
    };

    [Fact]
    public void Vus_and_duration_replace_every_executor_and_start_every_scenario_at_once()
    {
        var plan = PlanOverrides.Apply(TwoScenarios, 10, TimeSpan.FromSeconds(3), null);

        Assert.All(plan.Scenarios, s => Assert.Equal(new ConstantVusExecutor(10, TimeSpan.FromSeconds(3)), s.Executor));
        Assert.All(plan.Scenarios, s => Assert.Equal(TimeSpan.Zero, s.StartTime));
    }

    [Fact]
    public void Vus_alone_on_a_scenario_that_runs_until_stopped_asks_for_a_duration()
    {
        var plan = TwoScenarios with
        {
            Scenarios = [new ScenarioPlan { Name = "knob", Executor = new ExternallyControlledExecutor(1, 5, TimeSpan.Zero), Steps = [] }],
        };

        var error = Assert.Throws<PlanException>(() => PlanOverrides.Apply(plan, 3, null, null));

        Assert.Contains("needs --duration too", error.Message, StringComparison.Ordinal);
        Assert.Equal(new ConstantVusExecutor(3, TimeSpan.FromSeconds(5)), PlanOverrides.Apply(plan, 3, TimeSpan.FromSeconds(5), null).Scenarios[0].Executor);
    }

    [Fact]
    public void Without_overrides_the_plan_is_untouched()
    {
        Assert.Same(TwoScenarios, PlanOverrides.Apply(TwoScenarios, null, null, null));
    }
}
