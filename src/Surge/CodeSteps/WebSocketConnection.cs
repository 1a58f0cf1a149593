using System.Net.WebSockets;
using System.Text;
using Surge.Http;
using Surge.WebSockets;

namespace Surge;

/// <summary>
/// One open WebSocket session of a C# step (from <see cref="VuWebSockets.ConnectAsync"/>). Its operations never
/// throw on a network or protocol failure: they return false or null, the session ends, and <see cref="Error"/> names
/// why. The run's end throws <see cref="OperationCanceledException"/>, after the session is recorded. One operation
/// at a time, as on any WebSocket.
/// </summary>
public sealed class WebSocketConnection : IAsyncDisposable
{
    private readonly WebSocketSession _session;
    private readonly TimeSpan _timeout;

    internal WebSocketConnection(WebSocketSession session, TimeSpan timeout)
    {
        _session = session;
        _timeout = timeout;
    }

    /// <summary>101 once upgraded; the server's status when it refused the upgrade; 0 when no answer came.</summary>
    public int Status => _session.Status;

    /// <summary>
    /// Why the session ended early, as its <c>error_code</c> tag: <c>handshake_rejected</c>, <c>closed_by_server</c>,
    /// <c>closed_abnormally</c>, <c>closed_mid_message</c>, <c>receive_timeout</c>, <c>send_timeout</c>, <c>ping_timeout</c>,
    /// <c>message_too_large</c>, or a network error as HTTP names it (<c>connection_refused</c>, <c>tls</c>...); null otherwise.
    /// </summary>
    public string? Error => _session.Error;

    /// <summary>Whether messages can still be sent and received.</summary>
    public bool IsOpen => _session.IsOpen;

    /// <summary>The subprotocol the server chose, or null.</summary>
    public string? Subprotocol => _session.Subprotocol;

    /// <summary>Sends a text message; false when the session is over.</summary>
    public Task<bool> SendAsync(string text) =>
        Complete(_session.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, _timeout));

    /// <summary>Sends a binary message; false when the session is over.</summary>
    public Task<bool> SendAsync(ReadOnlyMemory<byte> bytes) =>
        Complete(_session.SendAsync(bytes, WebSocketMessageType.Binary, _timeout));

    /// <summary>The next message, or null when none came in time (`receive_timeout`) or the session ended.</summary>
#pragma warning disable RS0026 // ReceiveAsync() and ReceiveAsync(until) read as the test author means; the timeout is the same optional last argument in both
    public Task<WebSocketMessage?> ReceiveAsync(TimeSpan? timeout = null) => ReceiveAsync(null, timeout);

    /// <summary>
    /// Reads messages until <paramref name="until"/> accepts one, e.g. <c>m =&gt; m.Json("$.type") == "joined"</c>, and
    /// returns it; the ones before are counted in ws_msgs_received and dropped. Null when none matched in time
    /// (`receive_timeout`) or the session ended.
    /// </summary>
    public async Task<WebSocketMessage?> ReceiveAsync(Func<WebSocketMessage, bool>? until, TimeSpan? timeout = null)
#pragma warning restore RS0026
    {
        var received = await _session.ReceiveAsync(until is null ? null : (bytes, type) => until(new WebSocketMessage(bytes, type)),
            timeout ?? _timeout).ConfigureAwait(false);
        ThrowIfInterrupted();
        return received ? new WebSocketMessage(_session.Message.ToArray(), _session.MessageType) : null;
    }

    /// <summary>Sends a ping and waits for its pong; the round trip (also a ws_ping sample), or null when none came (`ping_timeout`).</summary>
    public async Task<TimeSpan?> PingAsync(TimeSpan? timeout = null)
    {
        var started = Engine.MonotonicClock.Now;
        var ponged = await _session.PingAsync(timeout ?? _timeout).ConfigureAwait(false);
        ThrowIfInterrupted();
        return ponged ? Engine.MonotonicClock.ToTimeSpan(Engine.MonotonicClock.Now - started) : null;
    }

    /// <summary>Closes with a close handshake (1000 unless given) and records the session.</summary>
    public async Task CloseAsync(int status = 1000)
    {
        await _session.CloseAsync(status, _timeout).ConfigureAwait(false);
        ThrowIfInterrupted();
    }

    /// <summary>Ends the session (aborting it if still open) and records it, once.</summary>
    public ValueTask DisposeAsync() => _session.DisposeAsync();

    private async Task<bool> Complete(ValueTask<bool> operation)
    {
        var done = await operation.ConfigureAwait(false);
        ThrowIfInterrupted();
        return done;
    }

    private void ThrowIfInterrupted()
    {
        if (_session.Error is NetworkError.Interrupted)
        {
            throw new OperationCanceledException("the run ended while the WebSocket session was open");
        }
    }
}

/// <summary>A WebSocket message as a C# step sees it.</summary>
public sealed class WebSocketMessage
{
    private string? _text;

    internal WebSocketMessage(ReadOnlyMemory<byte> bytes, WebSocketMessageType type)
    {
        Bytes = bytes;
        IsText = type == WebSocketMessageType.Text;
    }

    /// <summary>Whether it came as a text message (else binary).</summary>
    public bool IsText { get; }

    /// <summary>The message's payload as received, all its frames joined.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>The message as UTF-8 text.</summary>
    public string Text => _text ??= Encoding.UTF8.GetString(Bytes.Span);

    /// <summary>The value at a JSON path (e.g. "$.type") as text, or null when it is not there or the message is no JSON.</summary>
    /// <exception cref="FormatException"><paramref name="path"/> is not a valid JSON path (e.g. empty, or with recursive descent); the message says what is wrong.</exception>
    public string? Json(string path) => Surge.Json.JsonPath.Parse(path).TryEvaluate(Bytes, out var value) ? value.Text : null;

    /// <summary>The message as UTF-8 text, as <see cref="Text"/>.</summary>
    public override string ToString() => Text;
}
