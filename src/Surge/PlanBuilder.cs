using Surge.Plans;
using Surge.Results;
using Surge.Thresholds;

namespace Surge;

/// <summary>
/// Builds a <see cref="TestPlan"/> in C#, for test files run with `surge run test.cs` and for plans run inside a
/// unit test: <c>var result = await Load.Plan().Scenario("browse", s => s.ConstantVus(10, TimeSpan.FromSeconds(30))
/// .Get("http://127.0.0.1:5000/items")).Threshold("http_req_duration", "p(95)&lt;500").Build().RunAsync();</c>
/// A mutable builder that produces one validated, immutable plan.
/// </summary>
public sealed class PlanBuilder
{
    private readonly List<ScenarioPlan> _scenarios = [];
    private readonly List<ThresholdPlan> _thresholds = [];

    public PlanBuilder Scenario(string name, Action<ScenarioBuilder> configure)
    {
        var scenario = new ScenarioBuilder(name);
        configure(scenario);
        _scenarios.Add(scenario.Build());
        return this;
    }

    /// <summary>A k6 threshold, e.g. ("http_req_duration{name:login}", "p(95)&lt;500"); a syntax error throws at once.</summary>
    public PlanBuilder Threshold(string metric, string expression, bool abortOnFail = false)
    {
        _thresholds.Add(new ThresholdPlan
        {
            Key = MetricKey.Parse(metric),
            Expression = ThresholdExpression.Parse(expression),
            AbortOnFail = abortOnFail,
        });
        return this;
    }

    public TestPlan Build() => _scenarios.Count == 0
        ? throw new PlanException("the plan has no scenarios; add one with .Scenario(name, s => ...)")
        : new TestPlan { Scenarios = [.. _scenarios], Thresholds = [.. _thresholds] };
}

/// <summary>One scenario: its executor and its steps, in order.</summary>
public sealed class ScenarioBuilder(string name)
{
    private readonly List<Step> _steps = [];
    private ExecutorPlan? _executor;

    public ScenarioBuilder ConstantVus(int vus, TimeSpan duration) => Executor(new ConstantVusExecutor(vus, duration));

    public ScenarioBuilder Iterations(int vus, long iterations) => Executor(new SharedIterationsExecutor(vus, iterations, TimeSpan.FromMinutes(10)));

    public ScenarioBuilder ArrivalRate(double perSecond, TimeSpan duration, int preAllocatedVus, int maxVus) =>
        Executor(new ConstantArrivalRateExecutor(perSecond, TimeSpan.FromSeconds(1), duration, preAllocatedVus, maxVus));

    public ScenarioBuilder Executor(ExecutorPlan executor)
    {
        _executor = executor;
        return this;
    }

    public ScenarioBuilder Get(string url, string? name = null) => Request(new RequestStep { Method = "GET", Url = url, Name = name });

    public ScenarioBuilder Post(string url, string body, string contentType = "application/json", string? name = null) => Request(new RequestStep
    {
        Method = "POST",
        Url = url,
        Body = body,
        Headers = [new("Content-Type", contentType)],
        Name = name,
    });

    public ScenarioBuilder Request(RequestStep request)
    {
        _steps.Add(request);
        return this;
    }

    public ScenarioBuilder Think(TimeSpan pause) => Step(new ThinkStep(pause, pause));

    public ScenarioBuilder Step(Step step)
    {
        _steps.Add(step);
        return this;
    }

    internal ScenarioPlan Build() => new()
    {
        Name = name,
        Executor = _executor ?? new SharedIterationsExecutor(1, 1, TimeSpan.FromMinutes(10)),
        Steps = _steps.Count > 0 ? [.. _steps] : throw new PlanException($"scenario '{name}' has no steps; add e.g. .Get(url)"),
    };
}

/// <summary>Entry points of the C# API.</summary>
public static class Load
{
    public static PlanBuilder Plan() => new();

    /// <summary>Runs the plan in this process, e.g. inside a unit test, and returns the summary to assert on.</summary>
    public static Task<RunSummary> RunAsync(this TestPlan plan, RunSettings? settings = null, CancellationToken cancellationToken = default) =>
        TestRun.RunAsync(plan, settings, cancellationToken);
}
