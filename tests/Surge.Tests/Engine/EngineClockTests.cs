using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Surge.Engine;

namespace Surge.Tests.Engine;

public sealed class EngineClockTests
{
    [Fact]
    public void The_system_provider_is_the_stopwatch_fast_path()
    {
        Assert.Same(EngineClock.System, EngineClock.For(TimeProvider.System));
        Assert.Same(EngineClock.System, EngineClock.For(null));
        Assert.True(EngineClock.System.IsSystem);
        var before = Stopwatch.GetTimestamp();
        var now = EngineClock.System.Now;
        Assert.InRange(now, before, Stopwatch.GetTimestamp());
    }

    [Fact]
    public void A_fake_clock_counts_stopwatch_ticks_whatever_its_own_frequency()
    {
        var time = new FakeTimeProvider();
        var clock = EngineClock.For(time);
        var start = clock.Now;

        time.Advance(TimeSpan.FromSeconds(2.5));

        Assert.False(clock.IsSystem);
        Assert.True(start > 0, "0 means no timestamp to the engine");
        Assert.Equal(Stopwatch.Frequency * 5 / 2, clock.Now - start);
    }

    [Fact]
    public async Task A_fake_clock_wakes_a_sleeping_dispatcher_only_when_its_time_is_due()
    {
        var time = new FakeTimeProvider();
        var clock = EngineClock.For(time);
        // One Stopwatch tick (a nanosecond on Linux) past 10 ms: less than one tick of the fake clock's own.
        var due = clock.Now + MonotonicClock.FromTimeSpan(TimeSpan.FromMilliseconds(10)) + 1;
        using var woke = new ManualResetEventSlim();
        var sleeper = new Thread(() =>
        {
            clock.SleepUntil(due, CancellationToken.None);
            woke.Set();
        });
        sleeper.Start();
        for (var i = 0; i < 1000 && (sleeper.ThreadState & System.Threading.ThreadState.WaitSleepJoin) == 0; i++)
        {
            await Task.Delay(10);
        }

        time.Advance(TimeSpan.FromMilliseconds(10));
        await Task.Delay(50);
        Assert.False(woke.IsSet, "woke a Stopwatch tick before it was due");
        // The clock is checked at each of the timer's millisecond ticks: the next one wakes it.
        for (var i = 0; i < 100 && !woke.Wait(TimeSpan.FromMilliseconds(20)); i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(1));
        }

        Assert.True(woke.IsSet, "still asleep long after its time");
        Assert.True(clock.Now >= due);
        sleeper.Join();
    }

    [Fact]
    public void A_stop_wakes_a_dispatcher_sleeping_on_a_fake_clock()
    {
        var clock = EngineClock.For(new FakeTimeProvider());
        using var stop = new CancellationTokenSource();
        var sleeper = new Thread(() => clock.SleepUntil(clock.Now + Stopwatch.Frequency * 60, stop.Token));
        sleeper.Start();

        stop.Cancel();

        Assert.True(sleeper.Join(TimeSpan.FromSeconds(10)), "the stop did not wake it");
    }
}
