namespace Surge.SampleApi.Hosting;

/// <summary>
/// Server-side WebSocket counts, the ground truth for a load generator's ws_sessions, ws_msgs_sent and
/// ws_msgs_received: sessions accepted, whole messages read from clients, whole messages written to them.
/// </summary>
public sealed class WebSocketStats
{
    private long _sessions;
    private long _received;
    private long _sent;

    /// <summary>Sessions upgraded (the 101 was sent), on every /ws route.</summary>
    public long Sessions => Interlocked.Read(ref _sessions);

    /// <summary>Whole messages the server read from clients.</summary>
    public long MessagesReceived => Interlocked.Read(ref _received);

    /// <summary>Whole messages the server finished writing to clients.</summary>
    public long MessagesSent => Interlocked.Read(ref _sent);

    internal void SessionOpened() => Interlocked.Increment(ref _sessions);

    internal void Received() => Interlocked.Increment(ref _received);

    internal void Sent() => Interlocked.Increment(ref _sent);

    internal void Reset()
    {
        Interlocked.Exchange(ref _sessions, 0);
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _sent, 0);
    }

    internal WebSocketStatsView View() => new(Sessions, MessagesReceived, MessagesSent);
}

/// <summary>The WebSocket counts as GET /stats shows them.</summary>
internal sealed record WebSocketStatsView(long Sessions, long MessagesReceived, long MessagesSent);
