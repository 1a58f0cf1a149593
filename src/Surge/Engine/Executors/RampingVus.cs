using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>
/// k6's ramping-vus. A controller reconciles the running VUs with the ramp every few milliseconds. A VU removed
/// by a ramp-down finishes its iteration, or is interrupted once gracefulRampDown has passed.
/// </summary>
public sealed class RampingVus(RampingVusExecutor plan) : IExecutor
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    public async Task RunAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        var ramp = new VuRamp(plan.StartVus, plan.Stages);
        var slots = new VuSlots(scenario, plan.PeakVus, plan.GracefulRampDown);
        while (!stop.IsCancellationRequested)
        {
            var elapsed = scenario.Elapsed;
            if (elapsed >= ramp.TotalDuration)
            {
                break;
            }
            slots.Reconcile(ramp.TargetAt(elapsed));
            try
            {
                await Task.Delay(Tick, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await scenario.DrainAsync(slots.Loops).ConfigureAwait(false);
    }
}
