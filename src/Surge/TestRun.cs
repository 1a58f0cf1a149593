using System.Globalization;
using Surge.Engine;
using Surge.Metrics;
using Surge.Plans;
using Surge.Results;
using Surge.Thresholds;

namespace Surge;

/// <summary>
/// How <see cref="TestRun.RunAsync"/> runs a plan: where live results go, how often they are taken, how it can be
/// stopped or steered. The defaults suit a plan run inside a unit test: no outputs, one-second intervals.
/// </summary>
public sealed record RunSettings
{
    /// <summary>In-process views fed on the collector thread (progress, dashboard); they must only copy and return.</summary>
    public IReadOnlyList<ILiveSink> Sinks { get; init; } = [];

    /// <summary>Live outputs (NDJSON, Prometheus, InfluxDB...), each behind its own queue, so a slow one never holds up the run or the others.</summary>
    public IReadOnlyList<IRunOutput> Outputs { get; init; } = [];

    /// <summary>The bound on all outputs' final flush; null for <see cref="OutputContext.DefaultFlushTimeout"/>.</summary>
    public TimeSpan? OutputFlushTimeout { get; init; }

    /// <summary>How often totals are collected, thresholds judged and sinks and outputs fed.</summary>
    public TimeSpan SnapshotInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Cancelling interrupts in-flight iterations at once (a second Ctrl-C).</summary>
    public CancellationToken HardStop { get; init; }

    /// <summary>Sets the VUs of externally-controlled scenarios while the run goes on; the run registers them in it.</summary>
    public ExternalControl? Control { get; init; }

    /// <summary>Where `log` steps write; the CLI passes stderr.</summary>
    public TextWriter Log { get; init; } = TextWriter.Null;

    /// <summary>`--http-debug`: prints every request and response; null in a normal run.</summary>
    public Http.HttpDebug? HttpDebug { get; init; }

    /// <summary>
    /// Awaited once the run is prepared (steps compiled, data loaded, the starting VUs created; it is given their
    /// number) and before setup or any request: `--paused` and `--start-at`. Its token is the run's graceful stop: a
    /// run stopped before its start sends nothing and ends interrupted. Null starts at once.
    /// </summary>
    public Func<int, CancellationToken, Task>? StartGate { get; init; }

    /// <summary>Records the surge_* health metrics every interval; off only to measure what it costs.</summary>
    public bool WatchGenerator { get; init; } = true;

    /// <summary>
    /// The clock the run schedules by: scenario starts and ends, startTime, stages and ramps, arrival-rate schedules,
    /// gracefulStop, think time, iteration_duration and iteration_start_delay, and the interval at which totals are
    /// collected (so the summary's duration and rates too). Defaults to <see cref="TimeProvider.System"/>, the engine's
    /// own Stopwatch fast path. A test passes a FakeTimeProvider (Microsoft.Extensions.TimeProvider.Testing) and
    /// advances it to drive a run's schedule exactly, whatever the machine's load. What the network takes is always
    /// measured in real time: request durations and timeouts, and the generator's health metrics.
    /// </summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// One run from plan to summary: the engine drives load, a collector turns per-thread samples into snapshots every
/// interval, thresholds are judged on those snapshots (abortOnFail stops the run), sinks see each snapshot, and at
/// the end everything becomes one immutable <see cref="RunSummary"/>.
/// </summary>
public static class TestRun
{
    /// <summary>
    /// Runs <paramref name="plan"/> to the end (its scenarios, then teardown and the verify stages) and returns the
    /// summary; thresholds that fail do not throw, they are in the summary. Load stays in this process.
    /// </summary>
    /// <param name="plan">A validated plan, e.g. from <see cref="PlanBuilder.Build"/> or the YAML loader.</param>
    /// <param name="settings">Outputs, intervals, stops and controls; null for the defaults.</param>
    /// <param name="stop">A graceful stop (the first Ctrl-C): no new iterations; what was measured is still summarized.</param>
    public static async Task<RunSummary> RunAsync(TestPlan plan, RunSettings? settings = null, CancellationToken stop = default)
    {
        settings ??= new RunSettings();
        LeavePoolThreadsForTheRun();
        var registry = new MetricRegistry(plan.MaxSeriesPerMetric);
        foreach (var metric in plan.Metrics)
        {
            registry.Define(metric);
        }
        using var recorder = new MetricsRecorder(registry);
        using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(settings.HardStop);
        using var windDown = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var runTags = TagSet.From(plan.Tags);
        var vusSeries = registry.GetSeries(BuiltinMetrics.Vus, runTags);
        var vusMaxSeries = registry.GetSeries(BuiltinMetrics.VusMax, runTags);
        var control = settings.Control ?? new ExternalControl();
        control.Attach(plan);
        var clock = EngineClock.For(settings.TimeProvider);
        using var context = new EngineContext(recorder, runTags, hardStop.Token, plan.Http, settings.Log.WriteLine)
        {
            Clock = clock,
            Environment = plan.Env,
            Control = control,
            HttpDebug = settings.HttpDebug,
        };
        using var engine = new LoadEngine(plan, context);
        if (settings.StartGate is { } gate)
        {
            await WaitForStartAsync(gate, engine.PrepareVus(), stop).ConfigureAwait(false);
        }

        // Set up before the load starts, so that its first readings and its thread do not compete with the start.
        using var health = settings.WatchGenerator ? new Health.GeneratorSampler(recorder, runTags) : null;
        var startedAt = DateTimeOffset.UtcNow;
        // Gauges are stamped with the Stopwatch, so the summary's ClockOrigin is a Stopwatch reading; elapsed time is the clock's.
        var clockOrigin = MonotonicClock.Now;
        var origin = clock.IsSystem ? clockOrigin : clock.Now;
        var outcome = RunOutcome.Completed;
        var stoppedBeforeStart = stop.IsCancellationRequested && settings.StartGate is not null;
        var running = stoppedBeforeStart ? Task.CompletedTask : engine.RunAsync(windDown.Token);
        var lastCollect = origin;
        IReadOnlyList<ThresholdResult> thresholds = [];
        string? abortedBy = null;
        using var outputs = new OutputHost(settings.Sinks, settings.Outputs, startedAt, settings.OutputFlushTimeout);
        var timeline = new TimelineRecorder(startedAt, custom: plan.Metrics);
        var vusSampled = false;
        while (!running.IsCompleted)
        {
            await Task.WhenAny(running, clock.Delay(settings.SnapshotInterval, CancellationToken.None)).ConfigureAwait(false);
            if (!running.IsCompleted)
            {
                SampleVus(recorder, engine, vusSeries, vusMaxSeries, engine.Scenarios.Sum(s => s.ActiveVus));
                vusSampled = true;
            }
            health?.Sample();
            var (snapshot, now) = Collect(recorder, clock, origin, lastCollect);
            lastCollect = now;
            timeline.Add(snapshot);
            thresholds = Judge(plan.Thresholds, snapshot);
            if (outcome == RunOutcome.Completed && AbortingThreshold(plan.Thresholds, thresholds, snapshot.Elapsed) is { } culprit)
            {
                outcome = RunOutcome.AbortedByThreshold;
                abortedBy = $"threshold '{culprit.Key} {culprit.Expression}' failed at {snapshot.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s " +
                    $"with {culprit.Observed!.Value.ToString("0.####", CultureInfo.InvariantCulture)} and aborted the run (abortOnFail)";
                await windDown.CancelAsync().ConfigureAwait(false);
                await hardStop.CancelAsync().ConfigureAwait(false);
            }
            outputs.Publish(new LiveSnapshot(snapshot, Progress(engine), thresholds));
        }
        await running.ConfigureAwait(false);
        if (engine.SetupError is not null)
        {
            outcome = RunOutcome.SetupFailed;
        }
        if (outcome == RunOutcome.Completed && (stop.IsCancellationRequested || settings.HardStop.IsCancellationRequested))
        {
            outcome = RunOutcome.Interrupted;
        }

        if (!vusSampled)
        {
            // The load ended before the first interval: its peak stands in for the sample it never had.
            SampleVus(recorder, engine, vusSeries, vusMaxSeries, engine.Scenarios.Sum(s => s.PeakActiveVus));
        }
        IReadOnlyList<IntegrityResult> verifications = stoppedBeforeStart ? [] : await VerifyAsync(plan, context, runTags, settings.HardStop).ConfigureAwait(false);
        var (final, _) = Collect(recorder, clock, origin, lastCollect);
        timeline.AddFinal(final);
        if (verifications.Count > 0)
        {
            // The verify stages' checks were recorded after the load's last interval; live outputs get them too.
            outputs.Publish(new LiveSnapshot(final, Progress(engine), Judge(plan.Thresholds, final)));
        }
        var summary = Summarize(plan, engine, final, startedAt, outcome);
        summary = summary with
        {
            ClockOrigin = clockOrigin,
            Timeline = timeline.ToTimeline(),
            Verifications = verifications,
            Warnings =
            [
                .. abortedBy is not null ? [abortedBy] : Array.Empty<string>(),
                .. engine.SetupError is { } setup ? [$"setup failed, so no scenario ran: {setup}"] : Array.Empty<string>(),
                .. engine.TeardownError is { } teardown ? [$"teardown failed: {teardown}"] : Array.Empty<string>(),
                .. summary.Warnings,
                .. Health.GeneratorSaturation.Describe(Health.GeneratorSaturation.Spans(timeline.ToTimeline())) is { } saturated ? [saturated] : Array.Empty<string>(),
                .. verifications.Where(v => !v.Passed).Select(v => v.ToString()),
            ],
        };
        summary = summary with { Warnings = [.. summary.Warnings, .. await outputs.StopAsync(summary).ConfigureAwait(false)] };
        outputs.Complete(summary);
        return summary;
    }

    private static async Task WaitForStartAsync(Func<int, CancellationToken, Task> gate, int vus, CancellationToken stop)
    {
        try
        {
            await gate(vus, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopped while waiting: the run ends interrupted without sending anything.
        }
    }

    /// <summary>
    /// Hosts may park pool threads on blocking waits: under `dotnet test`, vstest's socket poll and xunit's runner each
    /// hold one, which on 2 cores is the whole default pool, and a traced run stalled ~600 ms until the pool injected
    /// a thread. A small floor keeps the run's own timers and iterations moving wherever it is hosted.
    /// </summary>
    private static void LeavePoolThreadsForTheRun()
    {
        const int floor = 8;
        ThreadPool.GetMinThreads(out var workers, out var completionPorts);
        if (workers < floor)
        {
            ThreadPool.SetMinThreads(floor, completionPorts);
        }
    }

    // Verify stages run after the load, each recording three checks so that thresholds on `checks` cover them.
    private static async Task<IReadOnlyList<IntegrityResult>> VerifyAsync(TestPlan plan, EngineContext context, TagSet runTags,
        CancellationToken cancellationToken)
    {
        var results = new List<IntegrityResult>();
        foreach (var verify in plan.Verify)
        {
            var ledger = context.Ledgers.TryGetValue(verify.Ledger, out var values) ? values.ToArray() : [];
            var result = await IntegrityVerifier.VerifyAsync(verify, ledger, plan.Http, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            var registry = context.Recorder.Registry;
            int Check(string name) => registry.GetSeries(BuiltinMetrics.Checks, runTags.With("check", $"verify {verify.Ledger}: {name}"));
            using var writer = context.Recorder.BeginWrite();
            writer.AddRate(Check("every acknowledged write is on the server"), result.Error is null && result.Missing == 0);
            writer.AddRate(Check("no id acknowledged twice"), result.Error is null && result.DuplicatesAcknowledged == 0);
            writer.AddRate(Check("no duplicates on the server"), result.Error is null && result.DuplicatesOnServer == 0);
        }
        return results;
    }

    /// <summary>
    /// Samples `vus` and `vus_max` while the load runs, as k6 does: read after the end, every VU is idle and a 1-VU
    /// run would report `vus 0 min=0 max=0`.
    /// </summary>
    private static void SampleVus(MetricsRecorder recorder, LoadEngine engine, int vusSeries, int vusMaxSeries, int vus)
    {
        using var writer = recorder.BeginWrite();
        writer.SetGauge(vusSeries, vus);
        writer.SetGauge(vusMaxSeries, engine.Scenarios.Sum(s => s.AllocatedVus));
    }

    private static (MetricsSnapshot Snapshot, long Now) Collect(MetricsRecorder recorder, EngineClock clock, long origin, long lastCollect)
    {
        var now = clock.Now;
        return (recorder.Collect(MonotonicClock.ToTimeSpan(now - origin), MonotonicClock.ToTimeSpan(now - lastCollect)), now);
    }

    private static IReadOnlyList<ThresholdResult> Judge(IReadOnlyList<ThresholdPlan> thresholds, MetricsSnapshot snapshot) =>
        ThresholdEvaluator.Evaluate(
            thresholds,
            key => snapshot.Registry.Find(key.Metric) is { } metric ? snapshot.Aggregate(metric, key.Filter) : null,
            snapshot.Elapsed);

    private static ThresholdResult? AbortingThreshold(IReadOnlyList<ThresholdPlan> plans, IReadOnlyList<ThresholdResult> results, TimeSpan elapsed)
    {
        for (var i = 0; i < plans.Count; i++)
        {
            // A threshold with no data yet has not failed: the first requests may still be on their way.
            if (plans[i].AbortOnFail && !results[i].Passed && results[i].Observed is not null && elapsed >= plans[i].DelayAbortEval)
            {
                return results[i];
            }
        }
        return null;
    }

    private static List<ScenarioProgress> Progress(LoadEngine engine) =>
    [
        .. engine.Scenarios.Select(s => new ScenarioProgress(
            s.Plan.Name, s.Plan.Executor.Kind, s.State, s.ActiveVus, s.AllocatedVus, s.Plan.Executor.PeakVus,
            s.CompletedIterations, s.InterruptedIterations, s.DroppedIterations, s.Elapsed, s.Plan.Executor.MaxDuration)),
    ];

    private static RunSummary Summarize(TestPlan plan, LoadEngine engine, MetricsSnapshot final, DateTimeOffset startedAt, RunOutcome outcome)
    {
        var series = final.Series().ToLookup(s => s.Metric.Name);
        var metrics = final.Registry.Definitions
            .Select(definition =>
            {
                var total = new MetricAggregate(definition.Kind);
                var parts = new List<MetricSeries>();
                foreach (var s in series[definition.Name])
                {
                    total.Merge(s.Total);
                    parts.Add(new MetricSeries(s.Tags, s.Total.Copy()));
                }
                return new MetricSummary(definition, total, parts);
            })
            .OrderBy(m => m.Definition.Name, StringComparer.Ordinal)
            .ToList();
        var summary = new RunSummary
        {
            StartedAt = startedAt,
            Duration = final.Elapsed,
            Metrics = metrics,
            Thresholds = [],
            Scenarios =
            [
                .. engine.Scenarios.Select(s => s.Plan.Describe() with
                {
                    CompletedIterations = s.CompletedIterations,
                    InterruptedIterations = s.InterruptedIterations,
                    FailedIterations = s.FailedIterations,
                    DroppedIterations = s.DroppedIterations,
                }),
            ],
            SummaryTrendStats = plan.SummaryTrendStats,
            Warnings =
            [
                .. final.Registry.Warnings,
                .. engine.Scenarios.Where(s => s.FailedIterations > 0).Select(s =>
                    $"scenario '{s.Plan.Name}': {s.FailedIterations} iterations failed with an error; the first: {s.FirstError}"),
                .. engine.Scenarios.Where(s => s.RefusedRequests > 0).Select(s =>
                    $"scenario '{s.Plan.Name}': {s.RefusedRequests} requests were not sent because they were malformed; the first: {s.FirstRefusal}"),
                .. engine.Scenarios.SelectMany(s => s.Abandoned.Select(stuck =>
                    $"scenario '{s.Plan.Name}': {stuck} did not return after the hard stop; the run ended without it")),
                .. engine.Scenarios.Select(s => s.DroppedWarning()).OfType<string>(),
                .. engine.Scenarios.Where(s => s.DataExhausted).Select(s =>
                    $"scenario '{s.Plan.Name}': data source '{s.Plan.Data!.Name}' ran out after {s.Plan.Data.Table.RowCount} records (whenExhausted: stop), so the scenario stopped early"),
            ],
            Outcome = outcome,
            Segment = plan.Segment.IsWhole ? null : plan.Segment.Segment.ToString(),
            SegmentSequence = plan.Segment.IsWhole ? null : plan.Segment.Sequence.ToString(),
        };
        summary = summary with { Thresholds = ThresholdEvaluator.Evaluate(plan.Thresholds, summary.Aggregate, summary.Duration) };
        return summary with { Warnings = [.. summary.Warnings, .. ThresholdEvaluator.UnmatchedFilters(summary)] };
    }
}
