using Surge.Http;
using Surge.Http.Http1;
using Surge.Http.Http2;
using Surge.Metrics;
using Surge.Plans;

namespace Surge.Engine;

/// <summary>
/// What every scenario of one run shares: the recorder, the run's tags, HTTP settings, the request watchdog (and the
/// connection pool when VUs share one) and the global VU numbering.
/// </summary>
internal sealed class EngineContext : IDisposable
{
    private int _nextVuId;
    private Http2Connections? _sharedHttp2;

    public EngineContext(MetricsRecorder recorder, TagSet runTags, CancellationToken hardStop, HttpOptions? http = null,
        Action<string>? log = null)
    {
        Log = log ?? (static _ => { });
        Recorder = recorder;
        RunTags = runTags;
        HardStop = hardStop;
        Http = http ?? HttpOptions.Default;
        SharedConnections = Http.Connections == ConnectionSharing.Shared ? new SharedConnections() : null;
        SharedGrpc = Http.Connections == ConnectionSharing.Shared ? new Grpc.GrpcChannels(Http, shared: true) : null;
    }

    /// <summary>The run's `-e` / `.env` variables, for templates' env().</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Where externally-controlled scenarios read how many VUs to run.</summary>
    public ExternalControl Control { get; init; } = new();

    /// <summary>What setup captured, visible to every VU of every scenario.</summary>
    public SetupOutputs SetupOutputs { get; } = new();

    /// <summary>Values captured into ledgers (ids of acknowledged writes), by ledger name, from every VU.</summary>
    public System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentQueue<string>> Ledgers { get; } = new(StringComparer.Ordinal);

    /// <summary>Times out and interrupts the run's HTTP/1.1 requests.</summary>
    public RequestWatchdog Watchdog { get; } = new();

    public HttpOptions Http { get; }

    /// <summary>`--http-debug`: prints every exchange; null in a normal run.</summary>
    public HttpDebug? HttpDebug { get; init; }

    /// <summary>Where `log` steps write.</summary>
    public Action<string> Log { get; }

    /// <summary>The run's connection pool when <see cref="HttpOptions.Connections"/> is shared; null when each VU has its own.</summary>
    public SharedConnections? SharedConnections { get; }

    /// <summary>The run's HTTP/2 connections when <see cref="HttpOptions.Connections"/> is shared (made on first use); null when each VU has its own.</summary>
    public Http2Connections? SharedHttp2 => Http.Connections == ConnectionSharing.Shared
        ? LazyInitializer.EnsureInitialized(ref _sharedHttp2, () => new Http2Connections(Http, shared: true))
        : null;
    /// <summary>The run's gRPC channels when VUs share connections; null when each VU has its own.</summary>
    internal Grpc.GrpcChannels? SharedGrpc { get; }

    public MetricsRecorder Recorder { get; }

    public TagSet RunTags { get; }

    /// <summary>Cancelled when in-flight iterations must end at once (a second Ctrl-C, an aborting threshold).</summary>
    public CancellationToken HardStop { get; }

    /// <summary>Once every scenario ended: closes the shared HTTP/2 connections and records the bytes no request claimed.</summary>
    internal void CloseSharedHttp2()
    {
        if (Volatile.Read(ref _sharedHttp2) is { } shared)
        {
            shared.Dispose();
            var (sent, received) = shared.Counter.Claim();
            Steps.RequestMetrics.RecordUnclaimed(Recorder, RunTags, sent, received);
        }
    }

    internal int NextVuId() => Interlocked.Increment(ref _nextVuId);

    /// <summary>The clock every scheduling decision reads (<see cref="EngineClock"/>); the system clock unless a test fakes time.</summary>
    public EngineClock Clock { get; init; } = EngineClock.System;

    /// <summary>When the engine started (<see cref="Clock"/>'s Stopwatch ticks), for saying when in the run something happened.</summary>
    internal long StartedAt { get; set; }

    public void Dispose()
    {
        Watchdog.Dispose();
        SharedConnections?.Dispose();
        _sharedHttp2?.Dispose();
        SharedGrpc?.Dispose();
    }
}
