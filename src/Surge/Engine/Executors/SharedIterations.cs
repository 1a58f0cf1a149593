using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>k6's shared-iterations: VUs take iterations from one shared count until it is used up or maxDuration passes.</summary>
internal sealed class SharedIterations(SharedIterationsExecutor plan) : IExecutor
{
    private long _claimed;

    public Task RunAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        var vus = (int)Math.Min(plan.Vus, plan.Iterations);
        var loops = Enumerable.Range(0, vus)
            .Select(_ => scenario.LoopAsync(scenario.CreateVu(), () => Interlocked.Increment(ref _claimed) <= plan.Iterations))
            .ToArray();
        return scenario.RunLoopsWithinAsync(loops, plan.MaxDurationLimit, stop);
    }
}
