using System.Diagnostics;
using Surge.Engine.Executors;

namespace Surge.Engine;

/// <summary>
/// The clock every scheduling decision of the engine reads: when scenarios start and end, ramps, arrival-rate
/// schedules, gracefulStop, startTime, think time, and when an iteration began and ended. Its timestamps are in
/// Stopwatch ticks whatever the provider, so the rest of the engine (and coordinated-omission arithmetic against
/// intended starts) never converts: a provider that counts at another frequency (FakeTimeProvider counts 10^7 per
/// second) is converted here, and only here.
/// <para>
/// With <see cref="TimeProvider.System"/> it is exactly the engine's fast path: Stopwatch.GetTimestamp, and
/// <see cref="PreciseWait"/>'s nanosleep for the dispatcher. Any other provider (a test's fake) is used for every read,
/// delay and deadline, so that a test advancing fake time drives the whole schedule. Measured durations of requests
/// stay on the Stopwatch (see <see cref="MonotonicClock"/>): they are real, whatever the schedule's clock.
/// </para>
/// </summary>
internal sealed class EngineClock
{
    /// <summary>The real clock: Stopwatch timestamps and the system's timers.</summary>
    public static EngineClock System { get; } = new(null);

    private static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    // Null for the system clock, so that its reads are one branch away from Stopwatch.GetTimestamp.
    private readonly TimeProvider? _provider;
    private readonly long _epoch;
    private readonly double _toStopwatchTicks;

    private EngineClock(TimeProvider? provider)
    {
        _provider = provider;
        if (provider is not null)
        {
            // Relative to the provider's reading now, so that a fake clock's large timestamps (its ticks since year 1)
            // do not overflow once scaled; one second on, so that no reading is 0, which means "none" to the engine.
            _epoch = provider.GetTimestamp() - provider.TimestampFrequency;
            _toStopwatchTicks = (double)Stopwatch.Frequency / provider.TimestampFrequency;
        }
    }

    /// <summary>The clock of <paramref name="provider"/>; the system clock's fast path for null or <see cref="TimeProvider.System"/>.</summary>
    public static EngineClock For(TimeProvider? provider) =>
        provider is null || ReferenceEquals(provider, TimeProvider.System) ? System : new EngineClock(provider);

    /// <summary>True for the real clock, whose readings are the same Stopwatch timestamps the HTTP clients take.</summary>
    public bool IsSystem => _provider is null;

    /// <summary>Now, in Stopwatch ticks.</summary>
    public long Now => _provider is null ? Stopwatch.GetTimestamp() : (long)((_provider.GetTimestamp() - _epoch) * _toStopwatchTicks);

    /// <summary>A pause on this clock, cancelled by <paramref name="cancellationToken"/>.</summary>
    public Task Delay(TimeSpan delay, CancellationToken cancellationToken) => _provider is null
        ? Task.Delay(delay, cancellationToken)
        : Task.Delay(delay, _provider, cancellationToken);

    /// <summary>Cancels <paramref name="source"/> once <paramref name="delay"/> has passed on this clock; dispose the returned timer with it (null on the system clock, whose source keeps its own).</summary>
    public ITimer? CancelAfter(CancellationTokenSource source, TimeSpan delay)
    {
        if (_provider is null)
        {
            source.CancelAfter(delay);
            return null;
        }
        return _provider.CreateTimer(static s => CancelUnlessDisposed((CancellationTokenSource)s!), source, delay, Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// Blocks the calling thread (the arrival-rate dispatcher's own) until <paramref name="due"/> (Stopwatch ticks) or
    /// a stop: <see cref="PreciseWait"/> on the system clock, the provider's timer otherwise.
    /// </summary>
    public void SleepUntil(long due, CancellationToken stop)
    {
        if (_provider is null)
        {
            PreciseWait.Until(due, stop);
            return;
        }
        using var woke = new ManualResetEventSlim();
        using var timer = WhenDue(_provider, due, woke.Set);
        try
        {
            woke.Wait(stop);
        }
        catch (OperationCanceledException)
        {
            // Stopped while asleep: the dispatcher looks at the token next.
        }
    }

    /// <summary>Waits until <paramref name="due"/> (Stopwatch ticks) on this clock, or until <paramref name="stop"/>, whichever is first.</summary>
    public async Task WaitUntilAsync(long due, CancellationToken stop)
    {
        if (_provider is null)
        {
            var remaining = due - Now;
            if (remaining > 0 && !stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Span(remaining), stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // A requested stop ends the wait early; the caller drains gracefully as at the natural end.
                }
            }
            return;
        }
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var timer = WhenDue(_provider, due, () => reached.TrySetResult());
        await using var stopped = stop.Register(() => reached.TrySetResult());
        await reached.Task.ConfigureAwait(false);
    }

    // Signals once the clock reaches due: a timer ticking every millisecond checks, inside the provider's own advance,
    // at each instant it fires, and the clock is checked once more after it is armed. Arming a one-shot timer for
    // "due minus now" instead would wake late whenever a test advanced the clock between reading it and arming.
    private ITimer WhenDue(TimeProvider provider, long due, Action signal)
    {
        var timer = provider.CreateTimer(_ =>
        {
            if (Now >= due)
            {
                signal();
            }
        }, null, OneMillisecond, OneMillisecond);
        if (Now >= due)
        {
            signal();
        }
        return timer;
    }

    // A fake clock fires its timers on the thread that advances it, which may do so while the source is being disposed.
    private static void CancelUnlessDisposed(CancellationTokenSource source)
    {
        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The wait it bounded is over.
        }
    }

    // Rounded up to the timer's whole milliseconds, so that the wait never ends before its deadline.
    private static TimeSpan Span(long stopwatchTicks) =>
        TimeSpan.FromMilliseconds(Math.Ceiling(stopwatchTicks * (1000.0 / Stopwatch.Frequency)));
}
