using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>k6's shared-iterations: VUs take iterations from one shared count until it is used up or maxDuration passes.</summary>
public sealed class SharedIterations(SharedIterationsExecutor plan) : IExecutor
{
    private long _claimed;

    public async Task RunAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        var end = scenario.StartedAtTicks + MonotonicClock.FromTimeSpan(plan.MaxDurationLimit);
        var vus = (int)Math.Min(plan.Vus, plan.Iterations);
        var loops = Enumerable.Range(0, vus).Select(_ => LoopAsync(scenario, scenario.CreateVu())).ToArray();
        var allDone = Task.WhenAll(loops);
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var waitForEnd = ScenarioRuntime.WaitUntilAsync(end, timeUp.Token);
        await Task.WhenAny(allDone, waitForEnd).ConfigureAwait(false);
        await timeUp.CancelAsync().ConfigureAwait(false);
        await scenario.DrainAsync(loops).ConfigureAwait(false);
    }

    private async Task LoopAsync(ScenarioRuntime scenario, VirtualUser vu)
    {
        await Task.Yield();
        scenario.VuStarted();
        try
        {
            while (!scenario.Stopping && Interlocked.Increment(ref _claimed) <= plan.Iterations
                && await scenario.RunIterationAsync(vu).ConfigureAwait(false))
            {
            }
        }
        finally
        {
            scenario.VuStopped();
        }
    }
}
