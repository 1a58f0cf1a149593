using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>k6's constant-vus: a fixed number of VUs loop over the steps for a duration.</summary>
public sealed class ConstantVus(ConstantVusExecutor plan) : IExecutor
{
    public async Task RunAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        var end = scenario.StartedAtTicks + MonotonicClock.FromTimeSpan(plan.Duration);
        var loops = Enumerable.Range(0, plan.Vus).Select(_ => LoopAsync(scenario, scenario.CreateVu())).ToArray();
        await ScenarioRuntime.WaitUntilAsync(end, stop).ConfigureAwait(false);
        await scenario.DrainAsync(loops).ConfigureAwait(false);
    }

    private static async Task LoopAsync(ScenarioRuntime scenario, VirtualUser vu)
    {
        await Task.Yield();
        scenario.VuStarted();
        try
        {
            while (!scenario.Stopping && await scenario.RunIterationAsync(vu).ConfigureAwait(false))
            {
            }
        }
        finally
        {
            scenario.VuStopped();
        }
    }
}
