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

    private FakeClockRun(TestPlan plan, RunSettings settings, CancellationToken stop)
    {
        _origin = Time.GetUtcNow();
        Running = Task.Run(() => TestRun.RunAsync(plan, settings with { TimeProvider = Time }, stop));
    }

    public FakeTimeProvider Time { get; } = new();

    public Task<RunSummary> Running { get; }

    /// <summary>Fake time since the run was started (the scenarios start then, unless startTime delays them).</summary>
    public TimeSpan Elapsed => Time.GetUtcNow() - _origin;

    public static FakeClockRun Start(TestPlan plan, RunSettings? settings = null, CancellationToken stop = default) =>
        new(plan, settings ?? new RunSettings(), stop);

    /// <summary>Runs <paramref name="plan"/> to its end on fake time; fails if it is still running at <paramref name="limit"/> of fake time.</summary>
    public static Task<RunSummary> RunAsync(TestPlan plan, TimeSpan limit, RunSettings? settings = null, TimeSpan? step = null) =>
        Start(plan, settings).FinishAsync(limit, step);

    /// <summary>Moves fake time on, step by step, to <paramref name="at"/> after the start, or until the run ends.</summary>
    public async Task AdvanceToAsync(TimeSpan at, TimeSpan? step = null)
    {
        var by = step ?? DefaultStep;
        while (!Running.IsCompleted && Elapsed < at)
        {
            var next = at - Elapsed < by ? at - Elapsed : by;
            // Timers fire inside Advance, and the engine's continuations may run there: off the test's context.
            await Task.Run(() => Time.Advance(next)).ConfigureAwait(false);
            await Task.WhenAny(Running, Task.Delay(1)).ConfigureAwait(false);
        }
    }

    /// <summary>Moves fake time on until the run ends, and returns its summary; fails if it has not ended by <paramref name="limit"/>.</summary>
    public async Task<RunSummary> FinishAsync(TimeSpan limit, TimeSpan? step = null)
    {
        await AdvanceToAsync(limit, step);
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
        for (var i = 0; i < 2000 && !condition(); i++)
        {
            await Task.Delay(5);
        }
        Assert.True(condition(), what);
    }
}
