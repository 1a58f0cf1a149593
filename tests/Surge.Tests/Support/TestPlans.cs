using Surge.Plans;

namespace Surge.Tests.Support;

/// <summary>Small plans for tests: one scenario hitting one URL.</summary>
public static class TestPlans
{
    public static TestPlan OneScenario(ExecutorPlan executor, string url, TimeSpan? gracefulStop = null, params ThresholdPlan[] thresholds) => new()
    {
        Scenarios =
        [
            new ScenarioPlan
            {
                Name = "test",
                Executor = executor,
                GracefulStop = gracefulStop ?? TimeSpan.FromSeconds(30),
                Steps = [new RequestStep { Method = "GET", Url = url, Name = "hit" }],
            },
        ],
        Thresholds = thresholds,
    };

    public static ThresholdPlan Threshold(string key, string expression, bool abortOnFail = false) => new()
    {
        Key = Surge.Thresholds.MetricKey.Parse(key),
        Expression = Surge.Thresholds.ThresholdExpression.Parse(expression),
        AbortOnFail = abortOnFail,
    };
}
