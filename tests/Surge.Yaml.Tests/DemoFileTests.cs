using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class DemoFileTests
{
    private static readonly string DemoPath = Path.Combine(AppContext.BaseDirectory, "examples", "demo.yaml");

    [Fact]
    public void The_demo_file_loads_with_its_two_scenarios()
    {
        var plan = YamlPlanLoader.Load(DemoPath);

        Assert.Equal(DemoPath, plan.Source);
        Assert.Equal(["browse", "orders"], plan.Scenarios.Select(s => s.Name));

        var browse = Assert.IsType<RampingVusExecutor>(plan.Scenarios[0].Executor);
        Assert.Equal(0, browse.StartVus);
        Assert.Equal(TimeSpan.FromSeconds(2), browse.GracefulRampDown);
        Assert.Equal([10.0, 10.0, 0.0], browse.Stages.Select(s => s.Target));
        Assert.Equal(TimeSpan.FromSeconds(20), browse.MaxDuration);
        Assert.Equal(
            ["http://127.0.0.1:5000/items?limit=20", "http://127.0.0.1:5000/items/1"],
            plan.Scenarios[0].Steps.Cast<RequestStep>().Select(r => r.Url));

        Assert.Equal(new ConstantArrivalRateExecutor(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20), 5, 20), plan.Scenarios[1].Executor);
        Assert.Equal("checkout", plan.Scenarios[1].Tags["flow"]);
        var order = Assert.IsType<RequestStep>(Assert.Single(plan.Scenarios[1].Steps));
        Assert.Equal(("create order", "POST"), (order.Name, order.Method));
        Assert.Equal("""{"itemId":1,"quantity":2}""", order.Body);

        Assert.Equal(["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"], plan.SummaryTrendStats);
        Assert.Equal("demo", plan.Tags["suite"]);
        Assert.Equal(
            ["http_req_duration: p(95)<500", "http_req_duration: p(99)<1000", "http_req_failed: rate<0.01",
             "http_req_duration{name:list items}: p(95)<300", "iterations: count>100"],
            plan.Thresholds.Select(t => $"{t.Key}: {t.Expression}"));
    }

    [Fact]
    public void The_demo_file_follows_a_base_url_override()
    {
        var plan = YamlPlanLoader.Load(DemoPath, new YamlLoadSettings("http://127.0.0.1:6123"));
        Assert.All(plan.Scenarios.SelectMany(s => s.Steps).Cast<RequestStep>(),
            r => Assert.StartsWith("http://127.0.0.1:6123/", r.Url, StringComparison.Ordinal));
    }
}
