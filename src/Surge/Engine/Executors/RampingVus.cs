using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>
/// k6's ramping-vus. A controller reconciles the running VUs with the ramp every few milliseconds. A VU removed
/// by a ramp-down finishes its iteration, or is interrupted once gracefulRampDown has passed. In an execution segment
/// the ramp is the whole test's and the segment runs its share of its VUs at every moment, so the segments' VUs add up
/// to the ramp's.
/// </summary>
internal sealed class RampingVus(RampingVusExecutor plan) : IExecutor
{
    public async Task RunAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        var ramp = new VuRamp(plan.StartVus, plan.Stages);
        var slots = new VuSlots(scenario, plan.PeakVus, plan.GracefulRampDown);
        await slots.FollowAsync(() => scenario.Elapsed is var elapsed && elapsed < ramp.TotalDuration ? plan.Segment.Scale(ramp.TargetAt(elapsed)) : null, stop)
            .ConfigureAwait(false);
        await scenario.DrainAsync(slots.Loops).ConfigureAwait(false);
    }
}
