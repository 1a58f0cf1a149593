using Surge.Plans;

namespace Surge.Capacity;

/// <summary>
/// Turns a test into one step of the search: only the chosen scenario runs, as constant-arrival-rate at the step's
/// rate, with its own requests, and the test's thresholds judge it. Verify stages are left out (they would judge the
/// server's state after every step); setup and teardown run in every step, as in any run of the test.
/// </summary>
public static class CapacityPlan
{
    /// <summary>
    /// An iteration may take this long before the step runs out of VUs: maxVUs = rate × this (at least 10). Beyond it,
    /// arrivals are dropped because the server is slow, and the step fails.
    /// </summary>
    public static readonly TimeSpan InFlightBudget = TimeSpan.FromSeconds(2);

    /// <summary>The chosen scenario (the only one when <paramref name="scenario"/> is null), or a 104 error naming the choices.</summary>
    public static ScenarioPlan ChooseScenario(TestPlan plan, string? scenario)
    {
        var names = plan.Scenarios.Select(s => s.Name).ToList();
        if (plan.Thresholds.Count == 0)
        {
            throw new PlanException($"{plan.Source}: the test has no thresholds, so find-capacity has nothing to judge a step by; add e.g. thresholds: {{ http_req_failed: [\"rate<0.01\"], http_req_duration: [\"p(95)<500\"] }}");
        }
        if (scenario is null)
        {
            return plan.Scenarios.Count == 1
                ? plan.Scenarios[0]
                : throw new PlanException($"{plan.Source} has {plan.Scenarios.Count} scenarios; choose the one to search with --scenario ({string.Join(", ", names)})");
        }
        return plan.Scenarios.FirstOrDefault(s => s.Name == scenario)
            ?? throw new PlanException($"{plan.Source}: {Suggest.Unknown("scenario", scenario, names, " for --scenario")}");
    }

    /// <summary>
    /// The test as one step: <paramref name="scenario"/> alone, starting at once, as constant-arrival-rate at
    /// <paramref name="rate"/> iterations per second for <paramref name="duration"/>, with preAllocatedVUs a tenth of
    /// the rate (at least 1) and maxVUs the rate × <see cref="InFlightBudget"/> (10 to 100,000); no verify stages, no profiles.
    /// </summary>
    public static TestPlan ForStep(TestPlan plan, ScenarioPlan scenario, double rate, TimeSpan duration)
    {
        var maxVus = (int)Math.Min(100_000, Math.Max(10, Math.Ceiling(rate * InFlightBudget.TotalSeconds)));
        var preAllocated = (int)Math.Min(maxVus, Math.Max(1, Math.Ceiling(rate * 0.1)));
        var executor = new ConstantArrivalRateExecutor(rate, TimeSpan.FromSeconds(1), duration, preAllocated, maxVus);
        var step = scenario with { Executor = executor, StartTime = TimeSpan.Zero };
        return plan with { Scenarios = [step], Verify = [], Profiles = new Dictionary<string, ExecutorPlan>() };
    }
}
