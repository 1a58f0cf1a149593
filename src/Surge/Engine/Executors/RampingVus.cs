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
        var slots = new Slot[plan.PeakVus];
        var rampDown = MonotonicClock.FromTimeSpan(plan.GracefulRampDown);
        while (!stop.IsCancellationRequested)
        {
            var elapsed = scenario.Elapsed;
            if (elapsed >= ramp.TotalDuration)
            {
                break;
            }
            Reconcile(scenario, slots, ramp.TargetAt(elapsed), rampDown);
            try
            {
                await Task.Delay(Tick, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        await scenario.DrainAsync([.. slots.Where(s => s is not null).Select(s => s.Loop)]).ConfigureAwait(false);
    }

    private static void Reconcile(ScenarioRuntime scenario, Slot[] slots, int target, long rampDown)
    {
        var now = MonotonicClock.Now;
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            if (i < target)
            {
                if (slot is null)
                {
                    slots[i] = slot = new Slot(scenario.CreateVu());
                }
                slot.Active = true;
                if (slot.Loop.IsCompleted)
                {
                    slot.Loop = scenario.LoopAsync(slot.Vu, () => slot.Active);
                }
            }
            else if (slot is not null)
            {
                if (slot.Active)
                {
                    slot.Active = false;
                    slot.DeactivatedAt = now;
                }
                else if (!slot.Loop.IsCompleted && now - slot.DeactivatedAt > rampDown)
                {
                    slot.Vu.Interrupt();
                }
            }
        }
    }

    private sealed class Slot(VirtualUser vu)
    {
        public VirtualUser Vu { get; } = vu;

        public Task Loop { get; set; } = Task.CompletedTask;

        public volatile bool Active;

        public long DeactivatedAt { get; set; }
    }
}
