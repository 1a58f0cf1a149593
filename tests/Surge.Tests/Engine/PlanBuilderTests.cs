using Surge.Plans;
using Surge.Tests.Support;

namespace Surge.Tests.Engine;

public sealed class PlanBuilderTests
{
    [Fact]
    public async Task A_plan_built_in_csharp_runs_inside_a_unit_test_and_its_thresholds_decide()
    {
        await using var server = await CountingServer.StartAsync();

        var result = await Load.Plan()
            .Scenario("browse", s => s.Iterations(vus: 4, iterations: 100).Get(server.Url("hello"), "hello"))
            .Threshold("http_req_failed", "rate<0.01")
            .Threshold("http_reqs{name:hello}", "count==100")
            .Build()
            .RunAsync();

        Assert.True(result.ThresholdsPassed);
        Assert.Equal(100, server.Requests);
    }

    [Fact]
    public async Task A_failing_threshold_is_reported_as_such()
    {
        await using var server = await CountingServer.StartAsync();

        var result = await Load.Plan()
            .Scenario("errors", s => s.Iterations(2, 10).Get(server.Url("status/500")))
            .Threshold("http_req_failed", "rate<0.01")
            .Build()
            .RunAsync();

        Assert.False(result.ThresholdsPassed);
        Assert.Equal(1.0, Assert.Single(result.Thresholds).Observed);
    }

    [Fact]
    public void A_plan_without_scenarios_or_steps_is_refused()
    {
        Assert.Throws<PlanException>(() => Load.Plan().Build());
        Assert.Throws<PlanException>(() => Load.Plan().Scenario("empty", s => s.ConstantVus(1, TimeSpan.FromSeconds(1))).Build());
    }
}
