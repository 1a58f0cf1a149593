using Surge.Engine;
using Surge.Plans;

namespace Surge.Tests.Engine;

public sealed class PersonaSplitTests
{
    private static ScenarioPlan Scenario(int vus, params (string Name, int Weight)[] users) => new()
    {
        Name = "shop",
        Steps = [],
        Executor = new ConstantVusExecutor(vus, TimeSpan.FromSeconds(1)),
        Personas = [.. users.Select(u => new PersonaPlan(u.Name, [new FlowPlan("browse", [])]) { Weight = u.Weight })],
    };

    [Fact]
    public void Ten_vus_over_weights_3_to_1_split_8_and_2()
    {
        // The cycle for 3:1 is a a b a, so VUs 1-10 take a a b a a a b a a a.
        var split = PersonaSplit.Of(Scenario(10, ("a", 3), ("b", 1)))!;

        Assert.Equal([8, 2], split.Users.Select(u => u.Vus));
        Assert.Equal("a 8, b 2 (weights 3:1)", split.ToString());
    }

    [Fact]
    public void Four_vus_over_weights_2_5_1_2_leave_the_third_user_without_a_vu()
    {
        // The cycle for 2:5:1:2 begins x w z x x y ...: the weight-1 user's first turn is the sixth VU.
        var split = PersonaSplit.Of(Scenario(4, ("w", 2), ("x", 5), ("y", 1), ("z", 2)))!;

        Assert.Equal([1, 2, 0, 1], split.Users.Select(u => u.Vus));
        Assert.Equal(6, split.VusForEveryUser);
    }

    [Fact]
    public void The_split_follows_the_order_in_which_the_engine_hands_users_to_new_vus()
    {
        var weights = new[] { 2, 5, 1, 2 };
        var engineOrder = new WeightedCycle(weights);
        var taken = new int[weights.Length];
        for (var vu = 0; vu < 23; vu++)
        {
            taken[engineOrder.Next()]++;
        }

        Assert.Equal(taken, new WeightedCycle(weights).CountsIn(23));
    }

    [Fact]
    public void A_scenario_without_users_has_no_split() =>
        Assert.Null(PersonaSplit.Of(new ScenarioPlan { Name = "plain", Steps = [], Executor = new ConstantVusExecutor(3, TimeSpan.FromSeconds(1)) }));
}
