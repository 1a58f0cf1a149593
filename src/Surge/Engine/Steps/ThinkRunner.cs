using Surge.Plans;

namespace Surge.Engine.Steps;

/// <summary>Pauses the VU without holding a thread, so thousands of thinking VUs cost only their timers.</summary>
internal sealed class ThinkRunner(ThinkStep step) : IStepRunner
{
    public async ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var pause = step.Min == step.Max
            ? step.Min
            : step.Min + (step.Max - step.Min) * Random.Shared.NextDouble();
        await vu.Scenario.Clock.Delay(pause, cancellationToken).ConfigureAwait(false);
    }
}
