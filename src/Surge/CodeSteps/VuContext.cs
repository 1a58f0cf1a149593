using Surge.Engine;
using Surge.Metrics;
using Surge.Plans;

namespace Surge;

/// <summary>
/// What a C# step works with, one per VU and kept across its iterations: an HTTP client that records metrics by
/// itself, checks, custom metrics, the VU's variables (captures, the current data record, setup's outputs) and the
/// environment. A step runs on one VU at a time, so nothing here needs locking.
/// </summary>
public sealed class VuContext
{
    private readonly VirtualUser _vu;
    private TagSet _tags = TagSet.Empty;

    internal VuContext(VirtualUser vu)
    {
        _vu = vu;
        Http = new VuHttp(vu, this);
        WebSockets = new VuWebSockets(vu, this);
        Grpc = new VuGrpc(vu, this);
    }

    /// <summary>The VU's HTTP client: every request records k6's http_* metrics, tagged with this step's tags.</summary>
    public VuHttp Http { get; }

    /// <summary>WebSocket sessions that record k6's ws_* metrics by themselves.</summary>
    public VuWebSockets WebSockets { get; }
    /// <summary>Typed gRPC clients on this VU's channels, recording k6's gRPC metrics.</summary>
    public VuGrpc Grpc { get; }

    /// <summary>1-based across the whole run, like k6's __VU.</summary>
    public int VuId => _vu.Id;

    /// <summary>The name of the scenario this VU runs in, as in the <c>scenario</c> tag (k6's <c>exec.scenario.name</c>).</summary>
    public string Scenario => _vu.Scenario.Plan.Name;

    /// <summary>
    /// The VU's variables: what it set or captured (kept across iterations), then the fields of the data record the
    /// iteration took, then what setup published. Reading a name that is nowhere throws, naming it.
    /// </summary>
    public VuVariables Vars => _vu.Variables;

    /// <summary>Stops with the iteration: pass it to anything the step awaits.</summary>
    public CancellationToken CancellationToken { get; private set; }

    /// <summary>The tags this step records under (run, scenario, group, flow).</summary>
    internal TagSet Tags => _tags;

    /// <summary>k6's check: records one sample of the `checks` rate under this name, and returns the condition.</summary>
    public bool Check(string name, bool condition)
    {
        var series = Registry.GetSeries(BuiltinMetrics.Checks, _tags.With("check", name));
        using var writer = _vu.Scenario.Recorder.BeginWrite();
        writer.AddRate(series, condition);
        return condition;
    }

    /// <summary>Adds to a counter declared in the plan (YAML `metrics:`, or <c>PlanBuilder.Counter</c>), under this step's tags.</summary>
    /// <exception cref="InvalidOperationException">The plan declares no metric of that name, or declares it as another kind.</exception>
    public void Count(string metric, double value = 1)
    {
        using var writer = _vu.Scenario.Recorder.BeginWrite();
        writer.AddCounter(Series(metric, MetricKind.Counter), value);
    }

    /// <summary>Adds a sample to a trend, e.g. payment_processing_time in milliseconds; kept to 1/1000 of its unit, negatives as 0.</summary>
    /// <exception cref="InvalidOperationException">The plan declares no metric of that name, or declares it as another kind.</exception>
    public void Trend(string metric, double value)
    {
        using var writer = _vu.Scenario.Recorder.BeginWrite();
        writer.AddTrend(Series(metric, MetricKind.Trend), value);
    }

    /// <inheritdoc cref="Trend(string, double)"/>
    public void Trend(string metric, TimeSpan value) => Trend(metric, value.TotalMilliseconds);

    /// <summary>Adds a pass or a fail to a rate, e.g. invoice_creation_success.</summary>
    /// <exception cref="InvalidOperationException">The plan declares no metric of that name, or declares it as another kind.</exception>
    public void Rate(string metric, bool passed)
    {
        using var writer = _vu.Scenario.Recorder.BeginWrite();
        writer.AddRate(Series(metric, MetricKind.Rate), passed);
    }

    /// <summary>Sets a gauge to its latest value; the summary shows the last one set, with min and max.</summary>
    /// <exception cref="InvalidOperationException">The plan declares no metric of that name, or declares it as another kind.</exception>
    public void Gauge(string metric, double value)
    {
        using var writer = _vu.Scenario.Recorder.BeginWrite();
        writer.SetGauge(Series(metric, MetricKind.Gauge), value);
    }

    /// <summary>Notes an id the server acknowledged, for the plan's verify stage on that ledger to find on the server.</summary>
    public void Acknowledge(string ledger, string id) => _vu.Scenario.AddToLedger(ledger, id);

    /// <summary>A pause like a user reading a page; interrupted with the iteration.</summary>
    public Task Think(TimeSpan pause) => _vu.Scenario.Clock.Delay(pause, CancellationToken);

    /// <summary>
    /// An environment value: the scenario's env first, then the run's (-e, the plan's env, the .env file), then the
    /// process environment; null when none sets it.
    /// </summary>
    public string? Env(string name) =>
        _vu.Scenario.Plan.Env.TryGetValue(name, out var own) ? own
        : _vu.Scenario.Engine.Environment.TryGetValue(name, out var run) ? run
        : Environment.GetEnvironmentVariable(name);

    /// <summary>Writes a line to the run's log (stderr in the CLI), prefixed with the VU.</summary>
    public void Log(string message) => _vu.Scenario.Log($"[vu {VuId}] {message}");

    /// <summary>
    /// k6's group: the requests and checks inside record under a `group` tag ("::outer::inner"), and the whole group
    /// under group_duration.
    /// </summary>
    public async Task Group(string name, Func<Task> body)
    {
        var outer = _tags;
        _tags = outer.With("group", $"{outer["group"] ?? ""}::{name}");
        var clock = _vu.Scenario.Clock;
        var started = clock.Now;
        try
        {
            await body().ConfigureAwait(false);
        }
        finally
        {
            var series = Registry.GetSeries(BuiltinMetrics.GroupDuration, _tags);
            using (var writer = _vu.Scenario.Recorder.BeginWrite())
            {
                writer.AddTrendFixed(series, MonotonicClock.ToMicroseconds(clock.Now - started));
            }
            _tags = outer;
        }
    }

    internal void Enter(TagSet tags, CancellationToken cancellationToken)
    {
        _tags = tags;
        CancellationToken = cancellationToken;
    }

    internal void Leave() => CancellationToken = CancellationToken.None;

    private MetricRegistry Registry => _vu.Scenario.Recorder.Registry;

    private int Series(string metric, MetricKind kind)
    {
        var definition = Registry.Find(metric)
            ?? throw new InvalidOperationException($"metric '{metric}' is not declared; declare it in the plan (.{kind}(\"{metric}\") in C#, or under metrics: in YAML)");
        return definition.Kind == kind
            ? Registry.GetSeries(definition, _tags)
            : throw new InvalidOperationException($"metric '{metric}' is a {definition.Kind.ToString().ToLowerInvariant()}, not a {kind.ToString().ToLowerInvariant()}");
    }
}
