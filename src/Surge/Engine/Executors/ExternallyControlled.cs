using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>
/// k6's externally-controlled: looping VUs whose number is set at run time through the run's
/// <see cref="ExternalControl"/>, checked every few milliseconds. A VU taken away finishes its iteration, or is
/// interrupted once the scenario's gracefulStop has passed. Runs for its duration, or until the run is stopped.
/// </summary>
internal sealed class ExternallyControlled(ExternallyControlledExecutor plan) : IExecutor
{
    public async Task RunAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        var target = scenario.Engine.Control.TargetOf(scenario.Plan);
        var slots = new VuSlots(scenario, plan.MaxVus, scenario.Plan.GracefulStop);
        await slots.FollowAsync(() => plan.RunsUntilStopped || scenario.Elapsed < plan.Duration ? target.Vus : null, stop)
            .ConfigureAwait(false);
        target.End();
        await scenario.DrainAsync(slots.Loops).ConfigureAwait(false);
    }
}
