using Microsoft.Extensions.Time.Testing;
using Surge.Plans;
using Surge.Results;

namespace Surge.Tests.Support;

/// <summary>
/// A run on a <see cref="FakeTimeProvider"/> (<see cref="RunSettings.TimeProvider"/>) whose time only the test moves:
/// the schedule (starts, ramps, arrivals, think time, gracefulStop) happens at exact fake instants, whatever the
/// machine's load, and a test checks counts against the analytic schedule instead of timing against the wall clock.
/// Time moves in small steps, each followed by a pause in which the engine reacts to it, so fake time never runs ahead
/// of real time; requests to a real server still take their real time.
/// </summary>
internal sealed class FakeClockRun
{
    private static readonly TimeSpan DefaultStep = TimeSpan.FromMilliseconds(10);

    private readonly DateTimeOffset _origin;

    private FakeClockRun(TestPlan plan, RunSettings settings, FakeTimeProvider time)
    {
        Time = time;
        _origin = Time.GetUtcNow();
        Running = Task.Run(() => TestRun.RunAsync(plan, settings with { TimeProvider = Time }));
    }

    public FakeTimeProvider Time { get; }

    public Task<RunSummary> Running { get; }

    /// <summary>Fake time since the run was started (the scenarios start then, unless startTime delays them).</summary>
    public TimeSpan Elapsed => Time.GetUtcNow() - _origin;

    /// <param name="time">The clock, when the plan's steps need it before the run starts; a new one otherwise.</param>
    public static FakeClockRun Start(TestPlan plan, RunSettings? settings = null, FakeTimeProvider? time = null) =>
        new(plan, settings ?? new RunSettings(), time ?? new FakeTimeProvider());

    /// <summary>Runs <paramref name="plan"/> to its end on fake time; fails if it is still running at <paramref name="limit"/> of fake time.</summary>
    public static Task<RunSummary> RunAsync(TestPlan plan, TimeSpan limit, RunSettings? settings = null, TimeSpan? step = null) =>
        Start(plan, settings).FinishAsync(limit, step);

    /// <summary>
    /// Moves fake time on, step by step, to <paramref name="at"/> after the start, or until the run ends. With
    /// <paramref name="settled"/>, each step waits (real time, bounded) until the engine has done what the test expects
    /// of that instant, so that no fake time passes while it works on it.
    /// </summary>
    public async Task AdvanceToAsync(TimeSpan at, TimeSpan? step = null, Func<TimeSpan, bool>? settled = null)
    {
        var by = step ?? DefaultStep;
        if (settled is not null)
        {
            await SettleAsync(() => settled(Elapsed), $"the engine did what was due at {Elapsed} of fake time").ConfigureAwait(false);
        }
        while (!Running.IsCompleted && Elapsed < at)
        {
            var next = at - Elapsed < by ? at - Elapsed : by;
            // Timers fire inside Advance, and the engine's continuations may run there: off the test's context.
            await Task.Run(() => Time.Advance(next)).ConfigureAwait(false);
            await Task.WhenAny(Running, Task.Delay(1)).ConfigureAwait(false);
            if (settled is not null)
            {
                await SettleAsync(() => settled(Elapsed), $"the engine did what was due at {Elapsed} of fake time").ConfigureAwait(false);
            }
        }
    }

    /// <summary>Moves fake time on until the run ends, and returns its summary; fails if it has not ended by <paramref name="limit"/>.</summary>
    public async Task<RunSummary> FinishAsync(TimeSpan limit, TimeSpan? step = null, Func<TimeSpan, bool>? settled = null)
    {
        await AdvanceToAsync(limit, step, settled);
        if (!Running.IsCompleted)
        {
            // The run's own limits (its duration, gracefulStop) are on the fake clock too: it should have ended.
            Time.Advance(TimeSpan.FromHours(1));
            await Task.WhenAny(Running, Task.Delay(TimeSpan.FromSeconds(30)));
            Assert.Fail($"the run had not ended after {limit} of fake time");
        }
        return await Running;
    }

    /// <summary>Waits (real time, bounded) for <paramref name="condition"/>, without moving fake time: what the engine does at this instant.</summary>
    public static async Task SettleAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 10_000 && !condition(); i++)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }
        Assert.True(condition(), what);
    }
}
