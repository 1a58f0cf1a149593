using Surge.Engine;
using Surge.Engine.Executors;
using Surge.Engine.Steps;
using Surge.Metrics;
using Surge.Plans;

namespace Surge.Tests.Engine;

/// <summary>
/// How arrivals of an open model reach VUs, run without a dispatcher thread so that the test decides when each
/// arrival comes.
/// </summary>
public sealed class ArrivalHandoffTests
{
    [Fact]
    public async Task A_vu_that_comes_free_serves_the_waiting_arrivals_and_their_wait_counts_from_when_they_were_due()
    {
        using var run = new ArrivalHarness(async _ => await Task.Yield());
        var gate = new TaskCompletionSource();
        run.Before = gate.Task;
        var dueFrom = MonotonicClock.Now - MonotonicClock.FromTimeSpan(TimeSpan.FromMilliseconds(100));
        var vus = new ArrivalVus(run.Scenario, 1, 1);

        // The one VU is held inside its first iteration while two arrivals queue for it (whenAllVUsBusy: queue).
        Assert.True(vus.TryStart(new Arrival(dueFrom, CatchUp: false)));
        Assert.True(vus.TryQueue(new Arrival(dueFrom + 1, CatchUp: false), limit: 10));
        Assert.True(vus.TryQueue(new Arrival(dueFrom + 2, CatchUp: false), limit: 10));
        Assert.False(vus.TryQueue(new Arrival(dueFrom + 3, CatchUp: false), limit: 2));
        Assert.False(vus.TryStart(new Arrival(dueFrom + 3, CatchUp: false)));
        gate.SetResult();
        await run.UntilCompletedAsync(3);

        var startDelay = run.Collect(BuiltinMetrics.IterationStartDelay).Histogram!;
        Assert.Equal(3, startDelay.TotalCount);
        Assert.True(startDelay.Min >= 99_000, $"min start delay {startDelay.Min} µs");
        Assert.Equal(0, vus.Close());
        vus.Release();
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
    /// An arrival handed to a parked VU, as the dispatcher hands it, with a step that completes at once so that
    /// nothing else allocates; the VU runs the iteration on the caller's thread and parks again. The quietest round is
    /// the measurement (see HotPathAllocationTests): one allocation per arrival would put at least 500 × 24 bytes
    /// into every round.
    /// </summary>
    [Fact]
    public void Handing_arrivals_to_parked_vus_allocates_nothing_in_steady_state()
    {
        using var run = new ArrivalHarness(_ => Task.CompletedTask);
        var vus = new ArrivalVus(run.Scenario, 2, 2);
        var due = MonotonicClock.Now;

        void Hand(int arrivals)
        {
            for (var i = 0; i < arrivals; i++)
            {
                Assert.True(vus.TryStart(new Arrival(due, CatchUp: false)));
            }
        }
        Hand(WarmUp);
        var allocated = new long[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            Hand(ArrivalsPerRound);
            allocated[round] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }

        Assert.Equal(WarmUp + (Rounds * ArrivalsPerRound), run.Scenario.CompletedIterations);
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
