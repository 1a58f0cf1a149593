using Surge.Engine;
using Surge.Http;
using Surge.Metrics;
using Surge.WebSockets;

namespace Surge;

/// <summary>
/// The WebSocket client of a C# step. Every session records k6's metrics (ws_connecting, ws_sessions,
/// ws_session_duration, ws_msgs_sent, ws_msgs_received, ws_ping, and Surge's ws_session_failed) under its `name` tag
/// (the URL unless a name is given) and the step's group and flow tags. A relative URL resolves against the plan's
/// base URL, http becoming ws and https wss. Failures never throw: they end the session under a named error code
/// (e.g. <c>connection_refused</c>, <c>receive_timeout</c>), which <see cref="WebSocketConnection.Error"/> shows.
/// </summary>
public sealed class VuWebSockets
{
    private readonly VirtualUser _vu;
    private readonly VuContext _context;
    private readonly Dictionary<TagSet, WebSocketMetrics> _endpoints = [];

    internal VuWebSockets(VirtualUser vu, VuContext context)
    {
        _vu = vu;
        _context = context;
    }

    /// <summary>How long connecting (TCP, TLS and upgrade), a send, a receive or a ping may take unless told otherwise.</summary>
    public TimeSpan Timeout { get; set; } = Plans.WebSocketStep.DefaultTimeout;

    /// <summary>The largest message kept whole; a longer one ends the session with `message_too_large`.</summary>
    public int MaxMessageBytes { get; set; } = Plans.WebSocketStep.DefaultMaxMessageBytes;

    /// <summary>
    /// Opens a session. It comes back even when connecting failed: then <see cref="WebSocketConnection.IsOpen"/> is
    /// false and <see cref="WebSocketConnection.Error"/> says why (e.g. `connection_refused`, or `handshake_rejected`
    /// with the server's <see cref="WebSocketConnection.Status"/>). Dispose it (or close it) to end the session.
    /// </summary>
    public async Task<WebSocketConnection> ConnectAsync(string url, string? name = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null, IEnumerable<string>? subprotocols = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        var session = await WebSocketSession.ConnectAsync(_vu, MetricsFor(name ?? url, url),
            WebSocketSession.Resolve(url, _vu.Scenario.Engine.Http.BaseAddress), [.. headers ?? []], [.. subprotocols ?? []],
            Timeout, MaxMessageBytes, _context.CancellationToken).ConfigureAwait(false);
        var connection = new WebSocketConnection(session, Timeout);
        if (session.Error is NetworkError.Interrupted)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new OperationCanceledException("the run ended while the WebSocket was connecting");
        }
        return connection;
    }

    // One set of series per endpoint and tags for this VU; past the registry's limit new ones share the overflow series.
    private WebSocketMetrics MetricsFor(string name, string url)
    {
        var registry = _vu.Scenario.Recorder.Registry;
        var tags = WebSocketMetrics.EndpointTags(_context.Tags, name, url);
        if (!_endpoints.TryGetValue(tags, out var metrics))
        {
            if (_endpoints.Count >= registry.MaxSeriesPerMetric)
            {
                tags = MetricRegistry.OverflowTags;
            }
            metrics = _endpoints.TryGetValue(tags, out var shared) ? shared : _endpoints[tags] = new WebSocketMetrics(tags, registry);
        }
        return metrics;
    }
}
