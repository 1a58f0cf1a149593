using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>k6's per-vu-iterations: every VU runs exactly its own number of iterations, within maxDuration.</summary>
internal sealed class PerVuIterations(PerVuIterationsExecutor plan) : IExecutor
{
    public Task RunAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        var loops = Enumerable.Range(0, plan.Vus).Select(_ =>
        {
            var started = 0L;
            return scenario.LoopAsync(scenario.CreateVu(), () => started++ < plan.Iterations);
        }).ToArray();
        return scenario.RunLoopsWithinAsync(loops, plan.MaxDurationLimit, stop);
    }
}
