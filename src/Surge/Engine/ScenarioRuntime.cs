using System.Runtime.CompilerServices;
using Surge.Data;
using Surge.Engine.Executors;
using Surge.Engine.Steps;
using Surge.Metrics;
using Surge.Plans;

namespace Surge.Engine;

/// <summary>
/// A scenario while it runs: it owns the VUs, runs iterations and records their metrics, and knows how to stop
/// gracefully. Executors only decide when iterations start; everything else about an iteration lives here.
/// </summary>
internal sealed class ScenarioRuntime : IDisposable
{
    private readonly EngineContext _engine;
    private readonly EngineClock _clock;
    private readonly CancellationTokenSource _hardStop;
    private readonly CancellationTokenSource _windDown = new();
    private readonly List<VirtualUser> _vus = [];
    private readonly Lock _vusLock = new();
    private readonly Queue<VirtualUser> _prepared = new();
    private readonly int _iterationsSeries;
    private readonly int _iterationDurationSeries;
    private readonly int _startDelaySeries;
    private readonly int _droppedSeries;
    private readonly IReadOnlyList<CompiledPersona> _personas;
    private readonly WeightedCycle _personaCycle;
    private readonly Feeder? _feeder;
    private long _completed;
    private long _interrupted;
    private long _dropped;
    private readonly DropSpans _drops = new();
    private long _failed;
    private string? _firstError;
    private long _refused;
    private string? _firstRefusal;
    private int _activeVus;
    private int _peakActiveVus;
    private volatile bool _stopping;
    private long _startedAt;
    private IReadOnlyList<string> _abandoned = [];

    public ScenarioRuntime(ScenarioPlan plan, EngineContext engine, Func<ScenarioRuntime, IReadOnlyList<CompiledPersona>> compileSteps)
    {
        Plan = plan;
        _engine = engine;
        _clock = engine.Clock;
        _hardStop = CancellationTokenSource.CreateLinkedTokenSource(engine.HardStop);
        Tags = engine.RunTags.With(plan.Tags).With("scenario", plan.Name);
        var registry = engine.Recorder.Registry;
        _iterationsSeries = registry.GetSeries(BuiltinMetrics.Iterations, Tags);
        _iterationDurationSeries = registry.GetSeries(BuiltinMetrics.IterationDuration, Tags);
        _startDelaySeries = registry.GetSeries(BuiltinMetrics.IterationStartDelay, Tags);
        _droppedSeries = registry.GetSeries(BuiltinMetrics.DroppedIterations, Tags);
        _personas = compileSteps(this);
        _personaCycle = new WeightedCycle(plan.Personas.Count == 0 ? [1] : [.. plan.Personas.Select(p => p.Weight)]);
        _feeder = plan.Data is { } data ? new Feeder(data.Table, data.Mode, data.WhenOutOfData, new InstanceSegment(plan.Executor.Segment)) : null;
    }

    public ScenarioPlan Plan { get; }

    /// <summary>Setup or teardown: their requests count, their one iteration is not load (as in k6's `iterations`).</summary>
    internal bool IsLifecycle { get; init; }

    /// <summary>Run tags, scenario tags and `scenario:name`: the base of every sample this scenario records.</summary>
    public TagSet Tags { get; }

    public MetricsRecorder Recorder => _engine.Recorder;

    /// <summary>Adds a value to the run's ledger of that name (see <see cref="Surge.Plans.CapturePlan.Ledger"/>).</summary>
    public void AddToLedger(string ledger, string value) =>
        _engine.Ledgers.GetOrAdd(ledger, static _ => new System.Collections.Concurrent.ConcurrentQueue<string>()).Enqueue(value);

    /// <summary>Writes a line to the run's log (`log` steps).</summary>
    public void Log(string line) => _engine.Log(line);

    internal EngineContext Engine => _engine;

    /// <summary>The run's scheduling clock (<see cref="EngineClock"/>).</summary>
    internal EngineClock Clock => _clock;

    /// <summary>The metrics of each endpoint C# steps requested (by tags and expected statuses), shared by the VUs.</summary>
    internal System.Collections.Concurrent.ConcurrentDictionary<(TagSet Tags, string Expected), RequestMetrics> CodeEndpoints { get; } = new();

    public ScenarioState State { get; private set; } = ScenarioState.Waiting;

    public long CompletedIterations => Interlocked.Read(ref _completed);

    public long InterruptedIterations => Interlocked.Read(ref _interrupted);

    public long DroppedIterations => Interlocked.Read(ref _dropped);

    /// <summary>Iterations that ended in an unexpected exception; the run goes on and the summary warns.</summary>
    public long FailedIterations => Interlocked.Read(ref _failed);

    public string? FirstError => Volatile.Read(ref _firstError);

    /// <summary>Requests refused unsent because what was filled in at run time made them malformed (a line break in a header...).</summary>
    public long RefusedRequests => Interlocked.Read(ref _refused);

    /// <summary>Which request was refused first, and why.</summary>
    public string? FirstRefusal => Volatile.Read(ref _firstRefusal);

    internal void Refused(string request, Http.MalformedRequest problem)
    {
        if (Interlocked.Increment(ref _refused) == 1)
        {
            Volatile.Write(ref _firstRefusal, $"{request}: {problem}");
        }
    }

    /// <summary>VUs busy right now: looping VUs that are active, or arrival-rate VUs inside an iteration.</summary>
    public int ActiveVus => Volatile.Read(ref _activeVus);

    public int AllocatedVus
    {
        get
        {
            lock (_vusLock)
            {
                return _vus.Count;
            }
        }
    }

    /// <summary>Time since the executor started, for progress display.</summary>
    public TimeSpan Elapsed => _startedAt == 0 ? TimeSpan.Zero : MonotonicClock.ToTimeSpan(_clock.Now - _startedAt);

    /// <summary>True once the executor's time is up or a stop was requested: start no new iterations.</summary>
    public bool Stopping => _stopping;

    internal CancellationToken HardStopToken => _hardStop.Token;

    /// <summary>
    /// Cancelled once the scenario stops starting iterations, for instance when its data ran out: an executor waiting
    /// for its time to be up stops waiting, so the scenario ends then rather than idling to its duration.
    /// </summary>
    internal CancellationToken WindDownToken => _windDown.Token;

    internal long StartedAtTicks => _startedAt;

    internal void MarkStarted()
    {
        _startedAt = _clock.Now;
        State = ScenarioState.Running;
    }

    /// <summary>The VUs created so far, e.g. setup's one VU whose captures become everyone's.</summary>
    internal IReadOnlyList<VirtualUser> Vus
    {
        get
        {
            lock (_vusLock)
            {
                return [.. _vus];
            }
        }
    }

    public VirtualUser CreateVu()
    {
        lock (_vusLock)
        {
            return _prepared.TryDequeue(out var prepared) ? prepared : NewVu();
        }
    }

    /// <summary>
    /// Creates ahead of time the VUs the executor starts with (a paused run waits with them ready, as k6 initializes its
    /// VUs before it starts): all of a closed model's, an arrival-rate scenario's preAllocatedVUs. Returns how many VUs
    /// the scenario has.
    /// </summary>
    internal int PrepareVus()
    {
        var count = Plan.Executor switch
        {
            ConstantArrivalRateExecutor p => p.PreAllocatedVus,
            RampingArrivalRateExecutor p => p.PreAllocatedVus,
            SharedIterationsExecutor p => (int)Math.Min(p.Vus, p.Iterations),
            var p => p.PeakVus,
        };
        lock (_vusLock)
        {
            while (_vus.Count < count)
            {
                _prepared.Enqueue(NewVu());
            }
            return _vus.Count;
        }
    }

    // A VU's persona follows its number in the whole test, so that segments together keep the weights.
    private VirtualUser NewVu()
    {
        var vu = new VirtualUser(_engine.NextVuId(), this, _personas[_personaCycle.At(Plan.Executor.Segment.GlobalIndex(_vus.Count))]);
        _vus.Add(vu);
        return vu;
    }

    /// <summary>The most VUs busy at once so far; the `vus` gauge of a run too short to be sampled reads it.</summary>
    public int PeakActiveVus => Volatile.Read(ref _peakActiveVus);

    internal void VuStarted()
    {
        var active = Interlocked.Increment(ref _activeVus);
        var peak = Volatile.Read(ref _peakActiveVus);
        while (active > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakActiveVus, active, peak);
            if (seen == peak)
            {
                break;
            }
            peak = seen;
        }
    }

    internal void VuStopped() => Interlocked.Decrement(ref _activeVus);

    /// <summary>
    /// Runs the steps once. <paramref name="intendedStart"/> (Stopwatch ticks, 0 for none) is when an open model meant
    /// the iteration to begin; the lag is recorded, and added to request latency, so that a slow system or a starved
    /// generator cannot hide behind late starts. Returns false when the iteration was interrupted. The intended start,
    /// the actual start and the iteration's end are all read from <see cref="Clock"/>, so the lag is on one clock: on a
    /// fake clock it is fake time, while a request's own duration, added to it for latency, is always real.
    /// </summary>
    public ValueTask<bool> RunIterationAsync(VirtualUser vu, long intendedStart = 0) => RunIterationsAsync(vu, intendedStart, null);

    /// <summary>
    /// Iterations back to back while <paramref name="keepGoing"/> (null: just one) holds and the scenario runs. The
    /// loop lives inside the iteration's own async method: a looping VU's responses then resume one async level,
    /// not two, which is measurably faster on one core.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> RunIterationsAsync(VirtualUser vu, long intendedStart, Func<bool>? keepGoing)
    {
        do
        {
            if (_feeder is not null && !TakeRecord(vu))
            {
                return false;
            }
            var token = vu.IterationToken;
            var started = _clock.Now;
            long ended = 0;
            vu.HasIntendedStart = intendedStart != 0;
            vu.BeginIteration();
            vu.StartDelayTicks = intendedStart == 0 ? 0 : Math.Max(0, started - intendedStart);
            try
            {
                if (!vu.HasStarted)
                {
                    // Until it succeeds once (a login, say), onStart opens every iteration of the VU.
                    foreach (var step in vu.Persona.OnStart)
                    {
                        await step.RunAsync(vu, token).ConfigureAwait(false);
                    }
                    vu.HasStarted = true;
                }
                foreach (var step in vu.Persona.NextFlow())
                {
                    token.ThrowIfCancellationRequested();
                    if (step is RequestRunner request)
                    {
                        // Requests are the hot step, awaited here directly for the same reason as the loop above.
                        var timings = await request.SendAsync(vu, token).ConfigureAwait(false);
                        if (request.Redirects(timings))
                        {
                            timings = await request.FollowAsync(vu, timings, token).ConfigureAwait(false);
                        }
                        request.Complete(vu, timings);
                        // The response's end is a Stopwatch reading: it ends the iteration only on the system clock.
                        ended = _clock.IsSystem ? timings.EndedAt : 0;
                    }
                    else
                    {
                        await step.RunAsync(vu, token).ConfigureAwait(false);
                        ended = 0;
                    }
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                Interlocked.Increment(ref _interrupted);
                vu.RearmAfterInterrupt();
                return false;
            }
            catch (Exception exception)
            {
                Interlocked.Increment(ref _failed);
                Interlocked.CompareExchange(ref _firstError, Describe(exception), null);
                continue;
            }
            RecordIteration(vu, started, ended == 0 ? _clock.Now : ended, intendedStart);
        }
        while (keepGoing is not null && !Stopping && keepGoing());
        return true;
    }

    // The exception and, when the user's code that threw has symbols (a C# test file, a test project), where in it.
    private static string Describe(Exception exception)
    {
        var frame = new System.Diagnostics.StackTrace(exception, fNeedFileInfo: true).GetFrames()
            .FirstOrDefault(f => f.GetFileName() is not null && f.GetMethod()?.DeclaringType?.Assembly != typeof(ScenarioRuntime).Assembly);
        var at = frame is null ? "" : $" (at {Path.GetFileName(frame.GetFileName())}:{frame.GetFileLineNumber()})";
        return $"{exception.GetType().Name}: {exception.Message}{at}";
    }

    // A sequential source that ran out (whenExhausted: stop) ends the scenario: no iteration runs without its record.
    private bool TakeRecord(VirtualUser vu)
    {
        if (_feeder!.TryTake(out var record))
        {
            vu.Variables.UseRecord(record, Plan.Data!.Name);
            return true;
        }
        DataExhausted = true;
        BeginStop();
        return false;
    }

    /// <summary>True once the scenario stopped because its data source ran out of records.</summary>
    public bool DataExhausted { get; private set; }

    // An iteration that ended with a request ended when its response did: one clock read fewer per iteration.
    private void RecordIteration(VirtualUser vu, long started, long ended, long intendedStart)
    {
        if (IsLifecycle)
        {
            Interlocked.Increment(ref _completed);
            return;
        }
        using (var writer = Recorder.BeginWrite())
        {
            writer.AddCounter(_iterationsSeries, 1);
            writer.AddTrendFixed(_iterationDurationSeries, MonotonicClock.ToMicroseconds(ended - started));
            if (intendedStart != 0)
            {
                writer.AddTrendFixed(_startDelaySeries, MonotonicClock.ToMicroseconds(vu.StartDelayTicks));
            }
        }
        Interlocked.Increment(ref _completed);
    }

    /// <summary>A looping VU (closed models): iterations back to back while <paramref name="keepGoing"/> holds.</summary>
    public async Task LoopAsync(VirtualUser vu, Func<bool> keepGoing)
    {
        await Task.Yield();
        VuStarted();
        try
        {
            if (!Stopping && keepGoing())
            {
                await RunIterationsAsync(vu, 0, keepGoing).ConfigureAwait(false);
            }
        }
        finally
        {
            VuStopped();
        }
    }

    /// <summary>For iteration-bounded executors: waits for the loops to finish or for maxDuration, then drains.</summary>
    public async Task RunLoopsWithinAsync(IReadOnlyCollection<Task> loops, TimeSpan maxDuration, CancellationToken stop)
    {
        using var timeUp = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var end = StartedAtTicks + MonotonicClock.FromTimeSpan(maxDuration);
        await Task.WhenAny(Task.WhenAll(loops), _clock.WaitUntilAsync(end, timeUp.Token)).ConfigureAwait(false);
        await timeUp.CancelAsync().ConfigureAwait(false);
        await DrainAsync(loops).ConfigureAwait(false);
    }

    /// <summary>
    /// Arrival-rate iterations that never started because every VU was busy. Called by one thread at a time (the
    /// dispatcher, then the executor once it has stopped).
    /// </summary>
    public void Drop(int count = 1)
    {
        if (count <= 0)
        {
            return;
        }
        Interlocked.Add(ref _dropped, count);
        _drops.Add(MonotonicClock.ToTimeSpan(_clock.Now - (_engine.StartedAt == 0 ? _startedAt : _engine.StartedAt)));
        using var writer = Recorder.BeginWrite();
        writer.AddCounter(_droppedSeries, count);
    }

    /// <summary>
    /// When arrivals were dropped, what share and when, and what that does to the latency percentiles: the iterations
    /// that would have waited longest are the ones missing from them. Null when nothing was dropped.
    /// </summary>
    public string? DroppedWarning()
    {
        var dropped = DroppedIterations;
        if (dropped == 0)
        {
            return null;
        }
        var arrivals = dropped + CompletedIterations + InterruptedIterations + FailedIterations;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        var why = Plan.Executor is ArrivalRateExecutor { WhenAllVusBusy: WhenAllVusBusy.Queue } queued
            ? string.Create(invariant, $"all {Plan.Executor.PeakVus} VUs were busy and {queued.MaxQueued:N0} arrivals already waited (maxQueued), or the scenario ended while they waited")
            : string.Create(invariant, $"all {Plan.Executor.PeakVus} VUs (maxVUs) were busy");
        return string.Create(invariant,
            $"scenario '{Plan.Name}': {dropped:N0} of {arrivals:N0} arrivals ({(double)dropped / arrivals:P1}) were dropped because {why}, {_drops}; " +
            $"latency percentiles describe only the iterations that ran, not the users who would have waited longest " +
            $"(raise maxVUs, or set whenAllVUsBusy: queue to serve them late and measure the wait)");
    }

    public void BeginStop()
    {
        _stopping = true;
        if (!_windDown.IsCancellationRequested)
        {
            // Asynchronously: this may run on a VU's thread, which must not run the executor's wind-down inline.
            _ = _windDown.CancelAsync();
        }
        if (State == ScenarioState.Running)
        {
            State = ScenarioState.Draining;
        }
    }

    /// <summary>
    /// k6's gracefulStop: in-flight iterations may finish within <see cref="ScenarioPlan.GracefulStop"/>, then the
    /// rest are interrupted. Returns when nothing is running any more.
    /// </summary>
    public async Task DrainAsync(IReadOnlyCollection<Task>? loops = null)
    {
        BeginStop();
        // The deadlines are on the scheduling clock; the polling is real time, since it only notices that all is idle.
        var deadline = _clock.Now + MonotonicClock.FromTimeSpan(Plan.GracefulStop);
        while (!IsIdle(loops) && _clock.Now < deadline && !_hardStop.IsCancellationRequested)
        {
            await Task.Delay(5).ConfigureAwait(false);
        }
        if (!IsIdle(loops))
        {
            await _hardStop.CancelAsync().ConfigureAwait(false);
            var giveUp = _clock.Now + MonotonicClock.FromTimeSpan(AbandonAfter);
            while (!IsIdle(loops) && _clock.Now < giveUp)
            {
                await Task.Delay(5).ConfigureAwait(false);
            }
            if (!IsIdle(loops))
            {
                Abandon();
            }
        }
        State = ScenarioState.Done;
    }

    /// <summary>
    /// How long interrupted iterations get to end after the hard stop. Code that ignores cancellation (a synchronous
    /// loop in a C# step) may never return; past this the scenario ends without it and the summary names it.
    /// </summary>
    internal static TimeSpan AbandonAfter { get; } = TimeSpan.FromSeconds(2);

    /// <summary>What never returned after the hard stop, e.g. "VU 3 in C# step 'spin'"; the summary warns about each.</summary>
    public IReadOnlyList<string> Abandoned => Volatile.Read(ref _abandoned);

    /// <summary>
    /// Waits for the executor, but no longer than the scenario's limits allow: its duration (or the stop, whichever
    /// comes first), then gracefulStop and the hard stop. An executor held up by code that never returns (a
    /// synchronous loop run on an arrival-rate dispatcher) cannot reach its own drain; then the scenario ends here.
    /// </summary>
    internal async Task RunWithinLimitsAsync(Task executing, CancellationToken stop)
    {
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stop);
        using var timeUp = Plan.Executor.MaxDuration > TimeSpan.Zero ? _clock.CancelAfter(ended, Plan.Executor.MaxDuration) : null;
        var limit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var reached = ended.Token.Register(() => limit.TrySetResult());
        if (await Task.WhenAny(executing, limit.Task).ConfigureAwait(false) == limit.Task)
        {
            // The executor's own drain takes at most gracefulStop and AbandonAfter; it gets that twice over.
            var drain = Plan.GracefulStop + AbandonAfter + AbandonAfter;
            if (await Task.WhenAny(executing, _clock.Delay(drain, CancellationToken.None)).ConfigureAwait(false) != executing)
            {
                BeginStop();
                await _hardStop.CancelAsync().ConfigureAwait(false);
                Abandon();
                State = ScenarioState.Done;
                return;
            }
        }
        await executing.ConfigureAwait(false);
    }

    // Names the VUs still inside an iteration; they count as interrupted. Their threads are left to the process exit.
    private void Abandon()
    {
        if (Volatile.Read(ref _abandoned).Count > 0)
        {
            return;
        }
        List<string> stuck;
        lock (_vusLock)
        {
            stuck = [.. _vus.Select(vu => (vu.Id, Step: vu.RunningCode)).Where(vu => vu.Step is not null).Select(vu => $"VU {vu.Id} in C# step '{vu.Step!.Name}'")];
        }
        if (stuck.Count == 0)
        {
            stuck.Add($"{ActiveVus} VUs inside an iteration");
        }
        Interlocked.Add(ref _interrupted, Math.Max(stuck.Count, ActiveVus));
        Volatile.Write(ref _abandoned, stuck);
    }

    // Every iteration runs inside an active VU: a looping one, or an arrival-rate one counted from the moment it is
    // dispatched until it is back in the pool. So no active VUs (and finished loops) means nothing is running.
    private bool IsIdle(IReadOnlyCollection<Task>? loops) =>
        ActiveVus == 0 && (loops is null || loops.All(t => t.IsCompleted));

    /// <summary>After the last iteration: closes the VUs' HTTP/2 connections and records the bytes no request claimed, so data_sent and data_received hold every byte on the wire.</summary>
    internal void CloseHttp2Connections()
    {
        long sent = 0, received = 0;
        lock (_vusLock)
        {
            foreach (var vu in _vus)
            {
                var (vuSent, vuReceived) = vu.CloseHttp2();
                sent += vuSent;
                received += vuReceived;
            }
        }
        Steps.RequestMetrics.RecordUnclaimed(Recorder, Tags, sent, received);
    }

    public void Dispose()
    {
        lock (_vusLock)
        {
            foreach (var vu in _vus)
            {
                vu.Dispose();
            }
        }
        _hardStop.Dispose();
        _windDown.Dispose();
    }
}
