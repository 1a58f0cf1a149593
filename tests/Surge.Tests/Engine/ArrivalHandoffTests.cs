using System.Collections.Concurrent;
using Surge.Engine;
using Surge.Engine.Executors;
using Surge.Engine.Steps;
using Surge.Metrics;
using Surge.Plans;

namespace Surge.Tests.Engine;

/// <summary>
/// How arrivals of an open model reach VUs: a VU that comes free takes the next overdue arrival itself, and every
/// arrival is claimed exactly once, whoever claims it. These run the VUs without a dispatcher thread, so that which
/// side starts an arrival is known.
/// </summary>
public sealed class ArrivalHandoffTests
{
    [Fact]
    public async Task A_vu_that_comes_free_starts_the_overdue_arrivals_itself_each_once_late_from_when_it_was_due()
    {
        var ranBy = new ConcurrentQueue<int>();
        using var run = new ArrivalHarness(async context =>
        {
            ranBy.Enqueue(context.VuId);
            await Task.Yield();
        });
        // 50 arrivals came due a quarter of a second ago, a microsecond apart; one VU, and no dispatcher.
        var lateBy = MonotonicClock.FromTimeSpan(TimeSpan.FromMilliseconds(250));
        var dueFrom = MonotonicClock.Now - lateBy;
        var schedule = new ArrivalCursor(n => n < 50 ? dueFrom + n : null);
        var vus = new ArrivalVus(run.Scenario, 1, 1, schedule, CancellationToken.None);

        Assert.True(schedule.TryClaim(MonotonicClock.Now, out var first));
        Assert.True(vus.TryStart(new Arrival(first, CatchUp: false)));
        await run.UntilCompletedAsync(50);

        Assert.Null(schedule.NextDue);
        Assert.Equal(50, ranBy.Count);
        Assert.Single(ranBy.Distinct());
        var startDelay = run.Collect(BuiltinMetrics.IterationStartDelay).Histogram!;
        Assert.Equal(50, startDelay.TotalCount);
        // Each started at least as late as it was overdue when claimed: the wait is measured from the schedule.
        Assert.True(startDelay.Min >= MonotonicClock.ToMicroseconds(lateBy), $"min start delay {startDelay.Min} µs");
        vus.Close();
        vus.Release();
    }

    [Fact]
    public async Task A_vu_that_comes_free_serves_the_waiting_arrivals_then_the_overdue_ones_counting_every_wait()
    {
        using var run = new ArrivalHarness(async _ => await Task.Yield());
        var gate = new TaskCompletionSource();
        run.Before = gate.Task;
        var dueFrom = MonotonicClock.Now - MonotonicClock.FromTimeSpan(TimeSpan.FromMilliseconds(100));
        var schedule = new ArrivalCursor(n => n < 3 ? dueFrom + 10 + n : null);
        var vus = new ArrivalVus(run.Scenario, 1, 1, schedule, CancellationToken.None);

        // The one VU is held inside its first iteration while two arrivals queue for it (whenAllVUsBusy: queue).
        Assert.True(vus.TryStart(new Arrival(dueFrom, CatchUp: false)));
        Assert.True(vus.TryQueue(new Arrival(dueFrom + 1, CatchUp: false), limit: 10));
        Assert.True(vus.TryQueue(new Arrival(dueFrom + 2, CatchUp: false), limit: 10));
        Assert.False(vus.TryStart(new Arrival(dueFrom + 3, CatchUp: false)));
        gate.SetResult();
        await run.UntilCompletedAsync(1 + 2 + 3);

        Assert.Null(schedule.NextDue);
        var startDelay = run.Collect(BuiltinMetrics.IterationStartDelay).Histogram!;
        Assert.Equal(6, startDelay.TotalCount);
        Assert.True(startDelay.Min >= 99_000, $"min start delay {startDelay.Min} µs");
        Assert.Equal(0, vus.Close());
        vus.Release();
    }

    [Fact]
    public async Task Arrivals_claimed_by_several_threads_at_once_are_each_claimed_exactly_once()
    {
        const long count = 200_000;
        var schedule = new ArrivalCursor(n => n < count ? n : null);
        var claimed = new ConcurrentBag<long>();
        var claimers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            while (schedule.TryClaim(long.MaxValue, out var due))
            {
                claimed.Add(due);
            }
        })).ToArray();
        await Task.WhenAll(claimers);

        Assert.Equal(count, claimed.Count);
        Assert.Equal(count, claimed.Distinct().Count());
        Assert.Null(schedule.NextDue);
    }

    [Fact]
    public void An_arrival_not_yet_due_is_not_claimed()
    {
        var schedule = new ArrivalCursor(n => n < 2 ? 1000 * (n + 1) : null);

        Assert.False(schedule.TryClaim(999, out _));
        Assert.True(schedule.TryClaim(1000, out var due));
        Assert.Equal(1000, due);
        Assert.Equal(2000, schedule.NextDue);
    }
}

/// <summary>Allocation counts are process-wide, so this runs alone, after the parallel tests.</summary>
[Collection(nameof(Surge.Tests.Http.AllocationMeasurements))]
public sealed class ArrivalDispatchAllocationTests
{
    private const int WarmUp = 2_000;
    private const int Rounds = 10;
    private const int ArrivalsPerRound = 500;

    /// <summary>
    /// Both ways an arrival reaches a VU, with a step that completes at once so that nothing else allocates: handed
    /// to a parked VU (as the dispatcher does), and taken by a VU that comes free while it is overdue. The quietest
    /// round is the measurement (see HotPathAllocationTests): one allocation per arrival would put at least 500 × 24
    /// bytes into every round.
    /// </summary>
    [Fact]
    public void Handing_arrivals_to_vus_allocates_nothing_in_steady_state()
    {
        using var run = new ArrivalHarness(_ => Task.CompletedTask);
        var past = MonotonicClock.Now - 1;
        long released = 0;
        const long total = WarmUp + (Rounds * ArrivalsPerRound);
        var schedule = new ArrivalCursor(n => n < Volatile.Read(ref released) ? past : n < total ? long.MaxValue : null);
        var vus = new ArrivalVus(run.Scenario, 2, 2, schedule, CancellationToken.None);

        // Two arrivals come due at a time: the first is handed to a parked VU, which takes the second itself once
        // its iteration is over.
        void Release(int arrivals)
        {
            for (var i = 0; i < arrivals; i += 2)
            {
                Interlocked.Add(ref released, 2);
                Assert.True(schedule.TryClaim(MonotonicClock.Now, out var due));
                Assert.True(vus.TryStart(new Arrival(due, CatchUp: false)));
            }
        }
        Release(WarmUp);
        var allocated = new long[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            Release(ArrivalsPerRound);
            allocated[round] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        Assert.Equal(total, run.Scenario.CompletedIterations);
        Assert.True(allocated.Min() == 0, $"every round of {ArrivalsPerRound} arrivals allocated: {string.Join(", ", allocated)} bytes");
        vus.Close();
        vus.Release();
    }
}

/// <summary>A scenario whose steps are one C# step, its metrics and a way to wait for its iterations.</summary>
internal sealed class ArrivalHarness : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly MetricsRecorder _recorder = new(new MetricRegistry());
    private readonly EngineContext _engine;
    private readonly Func<VuContext, Task> _body;

    public ArrivalHarness(Func<VuContext, Task> body)
    {
        _body = body;
        _engine = new EngineContext(_recorder, TagSet.Empty, CancellationToken.None);
        var plan = new ScenarioPlan
        {
            Name = "handoff",
            Executor = new ConstantArrivalRateExecutor(1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 1, 1),
            // Not an async lambda: this assembly is built without optimizations, where each call of one allocates.
            Steps = [new CodeStep("step", context => Before.IsCompleted ? _body(context) : AfterAsync(Before, context))],
        };
        Scenario = new ScenarioRuntime(plan, _engine, StepCompiler.Compile);
        Scenario.MarkStarted();
    }

    public ScenarioRuntime Scenario { get; }

    private async Task AfterAsync(Task before, VuContext context)
    {
        await before.ConfigureAwait(false);
        await _body(context).ConfigureAwait(false);
    }

    /// <summary>What every iteration awaits first (already complete unless a test holds it).</summary>
    public Task Before { get; set; } = Task.CompletedTask;

    public async Task UntilCompletedAsync(long iterations)
    {
        var giveUp = MonotonicClock.Now + MonotonicClock.FromTimeSpan(Bound);
        while (Scenario.CompletedIterations + Scenario.FailedIterations < iterations && MonotonicClock.Now < giveUp)
        {
            await Task.Delay(5);
        }
        Assert.Equal(0, Scenario.FailedIterations);
        Assert.Equal(iterations, Scenario.CompletedIterations);
    }

    public MetricAggregate Collect(MetricDefinition metric) =>
        _recorder.Collect(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)).Aggregate(metric, TagSet.Empty);

    public void Dispose()
    {
        Scenario.Dispose();
        _engine.Dispose();
        _recorder.Dispose();
    }
}
