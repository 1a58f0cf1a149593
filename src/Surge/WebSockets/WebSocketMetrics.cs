using System.Collections.Concurrent;
using System.Globalization;
using Surge.Metrics;

namespace Surge.WebSockets;

/// <summary>
/// k6's WebSocket metrics for one endpoint (one set of base tags: the step's, `name` and `url`). Message and ping
/// series are resolved once; a session's outcome (its `status` and `error_code`) picks its series from a small cache
/// when it ends. YAML `ws:` steps and the C# client both record through this.
/// </summary>
internal sealed class WebSocketMetrics
{
    public const int SwitchingProtocols = 101;

    private readonly TagSet _baseTags;
    private readonly MetricRegistry _registry;
    private readonly ConcurrentDictionary<(int Status, string? Error), Outcome> _outcomes = new();

    public WebSocketMetrics(TagSet baseTags, MetricRegistry registry)
    {
        _baseTags = baseTags;
        _registry = registry;
        var open = baseTags.With("status", "101");
        MsgsSent = registry.GetSeries(BuiltinMetrics.WsMsgsSent, open);
        MsgsReceived = registry.GetSeries(BuiltinMetrics.WsMsgsReceived, open);
        Ping = registry.GetSeries(BuiltinMetrics.WsPing, open);
    }

    /// <summary>k6's endpoint tags on top of the step's: `name` (the URL unless named) and `url`.</summary>
    public static TagSet EndpointTags(TagSet stepTags, string name, string url) => stepTags.With([new("name", name), new("url", url)]);

    public int MsgsSent { get; }

    public int MsgsReceived { get; }

    public int Ping { get; }

    /// <summary>The series a session that ended with this status and error records into.</summary>
    public Outcome For(int status, string? error) =>
        _outcomes.TryGetValue((status, error), out var outcome) ? outcome : _outcomes.GetOrAdd((status, error), Create);

    private Outcome Create((int Status, string? Error) key)
    {
        var tags = _baseTags.With("status", key.Status.ToString(CultureInfo.InvariantCulture));
        if (key.Error is not null)
        {
            tags = tags.With("error_code", key.Error);
        }
        int For(MetricDefinition metric) => _registry.GetSeries(metric, tags);
        return new Outcome(For(BuiltinMetrics.WsConnecting), For(BuiltinMetrics.WsSessions), For(BuiltinMetrics.WsSessionDuration),
            For(BuiltinMetrics.WsSessionFailed), For(BuiltinMetrics.DataSent), For(BuiltinMetrics.DataReceived));
    }

    internal sealed record Outcome(int Connecting, int Sessions, int Duration, int Failed, int DataSent, int DataReceived);
}
