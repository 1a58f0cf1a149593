using Surge.Http;
using Surge.Engine.Steps;
using Surge.Http.Http1;
using Surge.Http.Http2;
using Surge.Plans;

namespace Surge.Engine;

/// <summary>
/// One simulated user: its own HTTP clients (created on first use, so idle VUs stay small), and a cancellation
/// source that interrupts just this VU's iteration (graceful ramp-down) or, being linked, the whole scenario's.
/// </summary>
internal sealed class VirtualUser : IDisposable
{
    private readonly ScenarioRuntime _scenario;
    private CancellationTokenSource _iteration;
    private IHttpTransport? _http1;
    private PerVuConnections? _ownConnections;
    private IHttpTransport? _http2;
    private Http2Connections? _ownHttp2;
    private Grpc.GrpcChannels? _grpc;
    private HttpResponseBuffer? _response;
    private HttpSession? _session;
    private VuContext? _code;
    private CodeStep? _runningCode;

    internal VirtualUser(int id, ScenarioRuntime scenario, CompiledPersona persona)
    {
        Id = id;
        _scenario = scenario;
        Persona = persona;
        Variables = new VuVariables(scenario.Engine.SetupOutputs);
        _iteration = CancellationTokenSource.CreateLinkedTokenSource(scenario.HardStopToken);
    }

    /// <summary>1-based across the whole run, like k6's __VU.</summary>
    public int Id { get; }

    public ScenarioRuntime Scenario => _scenario;

    /// <summary>The kind of user this VU plays, for its whole life.</summary>
    internal CompiledPersona Persona { get; }

    /// <summary>Whether the persona's onStart steps already ran.</summary>
    internal bool HasStarted { get; set; }

    /// <summary>Captures and loop items, kept across this VU's iterations.</summary>
    public VuVariables Variables { get; }

    /// <summary>The last response a check or capture needed, reused from request to request.</summary>
    internal HttpResponseBuffer Response => _response ??= new HttpResponseBuffer();

    /// <summary>This VU's cookie jar and redirect notes, shared by its HTTP/1.1 and HTTP/2 clients; made on first use.</summary>
    public HttpSession Session => _session ??= new HttpSession(_scenario.Engine.Http);

    /// <summary>The redirect hop a request ended on, whose tags its final sample takes; null when it was not redirected.</summary>
    internal Steps.RequestMetrics? FinalHop { get; set; }

    /// <summary>The request a request step just sent, which a redirect it got starts from.</summary>
    internal HttpRequest? LastRequest { get; set; }

    /// <summary>Where each iteration starts: k6 empties the VU's cookie jar.</summary>
    internal void BeginIteration() => _session?.BeginIteration();

    /// <summary>What C# steps see of this VU, made on first use.</summary>
    internal VuContext Code => _code ??= new VuContext(this);

    /// <summary>HTTP/1.1 on our own sockets; HTTP/2 through HttpClient on the VU's own multiplexed connection (or the run's shared ones).</summary>
    public IHttpTransport Http(HttpProtocol protocol)
    {
        var engine = _scenario.Engine;
        if (protocol != HttpProtocol.Http11)
        {
            return _http2 ??= Debugged(http2: true, engine.SharedHttp2 is { } shared
                ? new HttpClientTransport(shared, Session)
                : new HttpClientTransport(_ownHttp2 = new Http2Connections(engine.Http, shared: false), Session));
        }
        return _http1 ??= Debugged(http2: false, new Http1Client((IConnectionSource?)engine.SharedConnections ?? (_ownConnections = new PerVuConnections()), engine.Http, engine.Watchdog, Session));
    }

    /// <summary>This VU's gRPC channels (made on first use), or the run's when the test shares connections.</summary>
    internal Grpc.GrpcChannels GrpcChannels => _scenario.Engine.SharedGrpc ?? (_grpc ??= new Grpc.GrpcChannels(_scenario.Engine.Http, shared: false));

    // Once per VU and protocol: a run without --http-debug keeps the bare transport.
    private IHttpTransport Debugged(bool http2, IHttpTransport transport) =>
        _scenario.Engine.HttpDebug is { } debug ? debug.Transport(transport, Session, http2) : transport;

    /// <summary>How late the current iteration started against its schedule, in ticks; 0 in closed models.</summary>
    public long StartDelayTicks { get; internal set; }

    public bool HasIntendedStart { get; internal set; }

    internal CancellationToken IterationToken => _iteration.Token;

    /// <summary>The C# step this VU is inside, if any: what the summary names when that code never returns.</summary>
    internal CodeStep? RunningCode
    {
        get => Volatile.Read(ref _runningCode);
        set => Volatile.Write(ref _runningCode, value);
    }

    /// <summary>Stops this VU's current iteration now.</summary>
    internal void Interrupt() => _iteration.Cancel();

    /// <summary>After an interrupted iteration, a fresh source for the next one (unless the scenario itself stopped).</summary>
    internal void RearmAfterInterrupt()
    {
        if (_iteration.IsCancellationRequested && !_scenario.HardStopToken.IsCancellationRequested)
        {
            _iteration.Dispose();
            _iteration = CancellationTokenSource.CreateLinkedTokenSource(_scenario.HardStopToken);
        }
    }

    /// <summary>
    /// Closes the VU's HTTP/2 connections once its scenario ended and hands back the wire bytes no request claimed:
    /// frames that came after its last request (a PING acknowledgement, a WINDOW_UPDATE) and what closing wrote.
    /// </summary>
    internal (long Sent, long Received) CloseHttp2()
    {
        if (_ownHttp2 is not { } connections)
        {
            return default;
        }
        connections.Dispose();
        return connections.Counter.Claim();
    }

    public void Dispose()
    {
        _iteration.Dispose();
        _http1?.Dispose();
        _ownConnections?.Dispose();
        _http2?.Dispose();
        _ownHttp2?.Dispose();
        _grpc?.Dispose();
    }
}
