namespace Surge.Engine.Executors;

/// <summary>
/// Looping VUs numbered 1..capacity, kept in line with a target count: VU k loops while k ≤ target. A VU above the
/// target finishes its iteration, or is interrupted once it has been above it for longer than the grace period.
/// Shared by ramping-vus (the target follows the ramp) and externally-controlled (the target is set at run time).
/// </summary>
internal sealed class VuSlots(ScenarioRuntime scenario, int capacity, TimeSpan grace)
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(5);

    private readonly Slot?[] _slots = new Slot?[capacity];
    private readonly long _grace = MonotonicClock.FromTimeSpan(grace);

    /// <summary>Every loop started so far, finished or not, for the scenario's drain.</summary>
    public IReadOnlyCollection<Task> Loops => [.. _slots.Where(s => s is not null).Select(s => s!.Loop)];

    /// <summary>
    /// Reconciles with <paramref name="target"/> every few milliseconds until it returns null (the executor's time is
    /// up) or <paramref name="stop"/> is cancelled.
    /// </summary>
    public async Task FollowAsync(Func<int?> target, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested && target() is { } vus)
        {
            Reconcile(vus);
            try
            {
                await scenario.Clock.Delay(Tick, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public void Reconcile(int target)
    {
        var now = scenario.Clock.Now;
        for (var i = 0; i < _slots.Length; i++)
        {
            var slot = _slots[i];
            if (i < target)
            {
                if (slot is null)
                {
                    _slots[i] = slot = new Slot(scenario.CreateVu());
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
                else if (!slot.Loop.IsCompleted && now - slot.DeactivatedAt > _grace)
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
