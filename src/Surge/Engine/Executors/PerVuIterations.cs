using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>k6's per-vu-iterations: every VU runs exactly its own number of iterations, within maxDuration.</summary>
public sealed class PerVuIterations(PerVuIterationsExecutor plan) : IExecutor
{
    public async Task RunAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        var end = scenario.StartedAtTicks + MonotonicClock.FromTimeSpan(plan.MaxDurationLimit);
        var loops = Enumerable.Range(0, plan.Vus).Select(_ => LoopAsync(scenario, scenario.CreateVu())).ToArray();
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var waitForEnd = ScenarioRuntime.WaitUntilAsync(end, timeUp.Token);
        await Task.WhenAny(Task.WhenAll(loops), waitForEnd).ConfigureAwait(false);
        await timeUp.CancelAsync().ConfigureAwait(false);
        await scenario.DrainAsync(loops).ConfigureAwait(false);
    }

    private async Task LoopAsync(ScenarioRuntime scenario, VirtualUser vu)
    {
        await Task.Yield();
        scenario.VuStarted();
        try
        {
            for (var i = 0L; i < plan.Iterations && !scenario.Stopping; i++)
            {
                if (!await scenario.RunIterationAsync(vu).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        finally
        {
            scenario.VuStopped();
        }
    }
}
