using System.Collections.Concurrent;

namespace Surge.Engine.Executors;

/// <summary>
/// k6's constant- and ramping-arrival-rate: iterations start on schedule whether or not earlier ones finished.
/// A dedicated thread sleeps until the next start is near and yields through the last stretch, then hands each due
/// iteration, stamped with its intended start, to a free VU and starts it right there: the iteration runs on this
/// thread until its first await (a request is written, its response awaited), with no hop through the thread pool
/// whose wake-ups would add jitter. With no free VU it allocates one up to maxVUs and
/// otherwise counts a dropped iteration. It never waits for a VU, so the schedule cannot slip (no coordinated
/// omission); lateness that does occur is measured from the intended start.
/// </summary>
public sealed class ArrivalRate(ArrivalSchedule schedule, int preAllocatedVus, int maxVus) : IExecutor
{
    private static readonly long SpinThreshold = MonotonicClock.FromTimeSpan(TimeSpan.FromMilliseconds(1.5));

    public async Task RunAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        var idle = new ConcurrentQueue<VirtualUser>();
        void ReturnToPool(VirtualUser vu)
        {
            scenario.VuStopped();
            idle.Enqueue(vu);
        }
        for (var i = 0; i < preAllocatedVus; i++)
        {
            var vu = scenario.CreateVu();
            vu.ReturnToPool = ReturnToPool;
            idle.Enqueue(vu);
        }
        var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new Thread(() =>
        {
            Dispatch(scenario, idle, ReturnToPool, stop);
            dispatched.SetResult();
        })
        {
            IsBackground = true,
            Name = $"surge-arrivals-{scenario.Plan.Name}",
            Priority = ThreadPriority.Normal,
        };
        dispatcher.Start();
        await dispatched.Task.ConfigureAwait(false);
        await scenario.DrainAsync().ConfigureAwait(false);
    }

    private void Dispatch(ScenarioRuntime scenario, ConcurrentQueue<VirtualUser> idle, Action<VirtualUser> returnToPool, CancellationToken stop)
    {
        var origin = scenario.StartedAtTicks;
        var frequency = (double)System.Diagnostics.Stopwatch.Frequency;
        for (long n = 0; !stop.IsCancellationRequested; n++)
        {
            if (schedule.StartOf(n) is not { } seconds)
            {
                return;
            }
            var due = origin + (long)(seconds * frequency);
            WaitUntil(due, stop);
            if (stop.IsCancellationRequested)
            {
                return;
            }
            if (!idle.TryDequeue(out var vu))
            {
                if (scenario.AllocatedVus >= maxVus)
                {
                    scenario.Drop();
                    continue;
                }
                vu = scenario.CreateVu();
                vu.ReturnToPool = returnToPool;
            }
            scenario.VuStarted();
            vu.StartScheduled(due);
        }
    }

    private static void WaitUntil(long due, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var remaining = due - MonotonicClock.Now;
            if (remaining <= 0)
            {
                return;
            }
            if (remaining > SpinThreshold)
            {
                Thread.Sleep(MonotonicClock.ToTimeSpan(remaining - SpinThreshold + 1));
            }
            else
            {
                // Yield rather than spin: on a busy core a pure spin holds the CPU for a whole scheduler slice,
                // starving the very threads that must run the iterations being dispatched.
                Thread.Yield();
            }
        }
    }
}
