using System.Diagnostics;
using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>
/// k6's constant- and ramping-arrival-rate: iterations start on schedule whether or not earlier ones finished.
/// A dedicated thread sleeps until the next start (<see cref="PreciseWait"/> on the system clock: no spinning, so an open model costs
/// about what its requests cost), wakes, and starts every arrival due by then on a free VU, right there on its own
/// thread up to the iteration's first await. It wakes at most every half millisecond: a wake-up costs tens of
/// microseconds of CPU on a virtual machine, so at high rates starts are batched, each at most that much late.
/// Lateness is measured from the intended start.
/// <para>
/// An arrival that finds every VU busy (maxVUs reached) is dropped, as in k6, unless it may wait for the next free
/// VU: always with <see cref="WhenAllVusBusy.Queue"/> (up to maxQueued waiting), and in drop mode while the
/// generator itself, not the server, is why no VU is free (up to one second's worth of arrivals waiting). That is,
/// when the dispatcher wakes more than a millisecond late (a GC pause, a descheduled process) and catches up,
/// while VUs are still busy with the arrivals it caught up on, and until the scenario's first iteration has completed
/// (the generator's code compiling). A backlog started all at once keeps VUs busy that would have been free on
/// schedule; dropping arrivals then was how a soak whose VUs were nearly all idle lost 120 of them. A wait is never
/// hidden: it counts in the arrival's iteration_start_delay and request latency.
/// </para>
/// </summary>
internal sealed class ArrivalRate(ArrivalSchedule schedule, int preAllocatedVus, int maxVus, WhenAllVusBusy whenAllBusy, int maxQueued)
    : IExecutor
{
    private static readonly long LateTolerance = MonotonicClock.FromTimeSpan(TimeSpan.FromMilliseconds(1));
    private static readonly long MinSleep = MonotonicClock.FromTimeSpan(TimeSpan.FromMilliseconds(0.5));

    public async Task RunAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        var vus = new ArrivalVus(scenario, preAllocatedVus, maxVus);
        var dispatched = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var dispatcher = new Thread(() =>
        {
            try
            {
                Dispatch(scenario, vus, stop);
                dispatched.SetResult();
            }
            catch (Exception exception)
            {
                dispatched.SetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = $"surge-arrivals-{scenario.Plan.Name}",
        };
        dispatcher.Start();
        try
        {
            await dispatched.Task.ConfigureAwait(false);
        }
        finally
        {
            // Queued arrivals were promised service: at the natural end they are served within gracefulStop like
            // iterations in flight. In drop mode, as in k6, nothing starts after the duration; nor after a stop.
            if (whenAllBusy == WhenAllVusBusy.Drop || stop.IsCancellationRequested)
            {
                scenario.Drop(vus.Close());
            }
            await scenario.DrainAsync().ConfigureAwait(false);
            scenario.Drop(vus.Close());
            vus.Release();
        }
    }

    private void Dispatch(ScenarioRuntime scenario, ArrivalVus vus, CancellationToken stop)
    {
        var clock = scenario.Clock;
        var origin = scenario.StartedAtTicks;
        var ticksPerSecond = (double)Stopwatch.Frequency;
        long? DueAt(long n) => schedule.StartOf(n) is { } seconds ? origin + (long)(seconds * ticksPerSecond) : null;
        var queueing = whenAllBusy == WhenAllVusBusy.Queue;
        var waitLimit = queueing ? maxQueued : (int)Math.Min(int.MaxValue, Math.Max(maxVus, Math.Ceiling(schedule.PeakPerSecond)));
        long n = 0;
        var next = DueAt(n);
        long lastWake = 0;
        while (next is { } first && !stop.IsCancellationRequested)
        {
            clock.SleepUntil(Math.Max(first, lastWake + MinSleep), stop);
            if (stop.IsCancellationRequested)
            {
                return;
            }
            var now = clock.Now;
            lastWake = now;
            var catchingUp = now - first > LateTolerance + MinSleep;
            // Every arrival due by now, in one wake-up: at high rates one wake-up starts several.
            var due = first;
            while (true)
            {
                var arrival = new Arrival(due, catchingUp);
                if (!vus.TryStart(arrival) && !((queueing || catchingUp || vus.GeneratorBehind) && vus.TryQueue(arrival, waitLimit)))
                {
                    scenario.Drop();
                }
                next = DueAt(++n);
                if (next is not { } following || following > now)
                {
                    break;
                }
                due = following;
            }
        }
    }
}
