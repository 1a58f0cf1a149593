using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>k6's constant-vus: a fixed number of VUs loop over the steps for a duration.</summary>
internal sealed class ConstantVus(ConstantVusExecutor plan) : IExecutor
{
    public async Task RunAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        var end = scenario.StartedAtTicks + MonotonicClock.FromTimeSpan(plan.Duration);
        var loops = Enumerable.Range(0, plan.Vus).Select(_ => scenario.LoopAsync(scenario.CreateVu(), static () => true)).ToArray();
        await scenario.Clock.WaitUntilAsync(end, stop).ConfigureAwait(false);
        await scenario.DrainAsync(loops).ConfigureAwait(false);
    }
}
