using System.Runtime.CompilerServices;
using System.Buffers;
using System.Net.Http;
using System.Net.Sockets;
using System.Net.WebSockets;
using Surge.Engine;
using Surge.Http;
using Surge.Plans;

namespace Surge.WebSockets;

/// <summary>
/// One WebSocket session of a VU on <see cref="ClientWebSocket"/>, recording k6's metrics as it goes: ws_connecting
/// when the upgrade ends, ws_msgs_sent and ws_msgs_received per message, ws_ping per pong, and when the session ends
/// ws_sessions, ws_session_duration, ws_session_failed, data_sent and data_received, tagged with its outcome. The
/// first failure ends the session and names it (<see cref="Error"/>); nothing it does throws, except that the run's end
/// (the iteration's token) comes back as <see cref="NetworkError.Interrupted"/> for the caller to stop on.
/// Messages are read into one pooled buffer per session, grown up to the message size limit. One operation at a time.
/// </summary>
internal sealed class WebSocketSession : IAsyncDisposable
{
    private const int InitialBufferBytes = 16 * 1024;

    private readonly VirtualUser _vu;
    private readonly WebSocketMetrics _metrics;
    private readonly int _maxMessageBytes;
    private readonly CancellationToken _iteration;
    private readonly CancellationTokenSource _deadline;
    private readonly long _started = MonotonicClock.Now;
    private readonly Queue<(byte[] Bytes, WebSocketMessageType Type)> _early = new();
    private ClientWebSocket? _socket;
    private HttpMessageInvoker? _invoker;
    private CountingStream? _wire;
    private PongWatchStream? _plain;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
    private int _length;
    private Task<ValueWebSocketReceiveResult>? _pending;
    private long _pings;
    private bool _ended;
    private bool _closing;
    private CancellationTokenRegistration _abortOnDeadline;

    private WebSocketSession(VirtualUser vu, WebSocketMetrics metrics, int maxMessageBytes, CancellationToken iteration)
    {
        _vu = vu;
        _metrics = metrics;
        _maxMessageBytes = maxMessageBytes;
        _iteration = iteration;
        _deadline = CancellationTokenSource.CreateLinkedTokenSource(iteration);
    }

    /// <summary>The status of the upgrade: 101, the server's refusal (with <see cref="WebSocketErrorCodes.HandshakeRejected"/>), or 0.</summary>
    public int Status { get; private set; }

    /// <summary>Why the session ended early; null while it is open or after a clean end.</summary>
    public string? Error { get; private set; }

    /// <summary>The subprotocol the server chose, or null.</summary>
    public string? Subprotocol => _socket?.SubProtocol;

    public bool IsOpen => Error is null && !_ended && _socket?.State is WebSocketState.Open or WebSocketState.CloseReceived;

    /// <summary>The message the last receive returned; valid until the next receive.</summary>
    public ReadOnlyMemory<byte> Message { get; private set; }

    public WebSocketMessageType MessageType { get; private set; }

    /// <summary>
    /// An absolute ws:// or wss:// URL; a relative one resolves against <paramref name="baseAddress"/> with http mapped
    /// to ws and https to wss. Null when the text is no such URL.
    /// </summary>
    public static Uri? Resolve(string text, Uri? baseAddress)
    {
        // On Unix "/path" parses as an absolute file URL: a leading slash always means relative here.
        if (!text.StartsWith('/'))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var absolute) && absolute.Scheme is "ws" or "wss" ? absolute : null;
        }
        if (baseAddress is null || !Uri.TryCreate(baseAddress, text, out var resolved) || resolved.Scheme is not ("http" or "https"))
        {
            return null;
        }
        return new UriBuilder(resolved) { Scheme = resolved.Scheme == "https" ? "wss" : "ws" }.Uri;
    }

    /// <summary>
    /// Connects and upgrades; a failure is recorded and leaves the session ended with its <see cref="Error"/>. A null
    /// <paramref name="url"/> (text that made no ws(s) URL) is recorded as invalid_url.
    /// </summary>
    public static async Task<WebSocketSession> ConnectAsync(VirtualUser vu, WebSocketMetrics metrics, Uri? url,
        IReadOnlyList<KeyValuePair<string, string>> headers, IReadOnlyList<string> subprotocols, TimeSpan timeout,
        int maxMessageBytes, CancellationToken iteration)
    {
        var session = new WebSocketSession(vu, metrics, maxMessageBytes, iteration);
        await session.OpenAsync(url, headers, subprotocols, timeout).ConfigureAwait(false);
        return session;
    }

    private async Task OpenAsync(Uri? url, IReadOnlyList<KeyValuePair<string, string>> headers, IReadOnlyList<string> subprotocols, TimeSpan timeout)
    {
        if (url is null)
        {
            Fail(NetworkError.InvalidUrl);
            RecordConnecting();
            return;
        }
        var socket = new ClientWebSocket();
        _socket = socket;
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.KeepAliveInterval = TimeSpan.Zero; // its own pongs would interleave with the pings written below it
        try
        {
            foreach (var (name, value) in headers)
            {
                socket.Options.SetRequestHeader(name, value);
            }
            foreach (var subprotocol in subprotocols)
            {
                socket.Options.AddSubProtocol(subprotocol);
            }
        }
        catch (ArgumentException)
        {
            Fail(NetworkError.InvalidHeader);
            RecordConnecting();
            return;
        }
        // One handler per session: the upgraded connection is the session's alone, and the streams it makes are
        // this session's to count and watch.
        _invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseCookies = false,
            UseProxy = false,
            ConnectCallback = ConnectAsync,
            PlaintextStreamFilter = (context, _) => ValueTask.FromResult<Stream>(_plain = new PongWatchStream(context.PlaintextStream)),
            SslOptions = { RemoteCertificateValidationCallback = TlsPolicy.ValidationFor(_vu.Scenario.Engine.Http) },
        });
        _deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(url, _invoker, _deadline.Token).ConfigureAwait(false);
            Status = (int)socket.HttpStatusCode;
            // Sends and receives pass no token: a token per operation costs a registration each (about 2 KB per
            // message in all); the deadline aborts the socket instead, registered once.
            _abortOnDeadline = _deadline.Token.UnsafeRegister(static state => ((ClientWebSocket)state!).Abort(), socket);
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or HttpRequestException or IOException)
        {
            Status = (int)socket.HttpStatusCode;
            Fail(Status is not (0 or WebSocketMetrics.SwitchingProtocols) ? WebSocketErrorCodes.HandshakeRejected
                : Cancelled(NetworkError.Timeout) ?? NetworkError.Classify(error.InnerException ?? error));
        }
        _deadline.CancelAfter(Timeout.Infinite);
        RecordConnecting();
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
            return _wire = new CountingStream(new NetworkStream(socket, ownsSocket: true));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private void RecordConnecting()
    {
        var outcome = _metrics.For(Status, Error);
        using var writer = _vu.Scenario.Recorder.BeginWrite();
        writer.AddTrendFixed(outcome.Connecting, MonotonicClock.ToMicroseconds(MonotonicClock.Now - _started));
    }

    /// <summary>Sends one whole message; false when the session is over (see <see cref="Error"/>).</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, WebSocketMessageType type, TimeSpan timeout)
    {
        if (!IsOpen)
        {
            return false;
        }
        _deadline.CancelAfter(timeout);
        try
        {
            await _socket!.SendAsync(message, type, endOfMessage: true, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException)
        {
            Fail(Cancelled(WebSocketErrorCodes.SendTimeout) ?? WebSocketErrorCodes.Classify(error, midMessage: false));
            return false;
        }
        finally
        {
            _deadline.CancelAfter(Timeout.Infinite);
        }
        using var writer = _vu.Scenario.Recorder.BeginWrite();
        writer.AddCounter(_metrics.MsgsSent, 1);
        return true;
    }

    /// <summary>
    /// Reads messages until <paramref name="accept"/> takes one (null takes the first), which is then <see cref="Message"/>;
    /// false when the timeout passed or the session ended first (see <see cref="Error"/>).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ReceiveAsync(Func<ReadOnlyMemory<byte>, WebSocketMessageType, bool>? accept, TimeSpan timeout)
    {
        _deadline.CancelAfter(timeout);
        try
        {
            while (IsOpen)
            {
                if (_early.TryDequeue(out var early))
                {
                    (Message, MessageType) = (early.Bytes, early.Type);
                }
                else if (!await NextMessageAsync(WebSocketErrorCodes.ReceiveTimeout).ConfigureAwait(false))
                {
                    return false;
                }
                if (accept is null || accept(Message, MessageType))
                {
                    return true;
                }
            }
            return false;
        }
        finally
        {
            _deadline.CancelAfter(Timeout.Infinite);
        }
    }

    /// <summary>Sends a ping and waits for its pong, recording the round trip; messages that arrive meanwhile wait for the next receive.</summary>
    public async ValueTask<bool> PingAsync(TimeSpan timeout)
    {
        if (!IsOpen || _plain is null)
        {
            return false;
        }
        _deadline.CancelAfter(timeout);
        try
        {
            var sent = MonotonicClock.Now;
            await _plain.SendPingAsync(++_pings, _deadline.Token).ConfigureAwait(false);
            var pong = _plain.PongReceived;
            while (!pong.IsCompleted)
            {
                // The pong is read by a receive (ClientWebSocket reads nothing otherwise); the receive stays pending
                // for the next one when the pong comes first.
                _pending ??= ReceiveFrameAsync();
                await Task.WhenAny(pong, _pending).ConfigureAwait(false);
                if (_pending.IsCompleted && !await KeepEarlyAsync().ConfigureAwait(false))
                {
                    return false;
                }
            }
            using var writer = _vu.Scenario.Recorder.BeginWrite();
            writer.AddTrendFixed(_metrics.Ping, MonotonicClock.ToMicroseconds(MonotonicClock.Now - sent));
            return true;
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException)
        {
            Fail(Cancelled(WebSocketErrorCodes.PingTimeout) ?? WebSocketErrorCodes.Classify(error, _length > 0));
            return false;
        }
        finally
        {
            _deadline.CancelAfter(Timeout.Infinite);
        }
    }

    // A frame that came while a ping waited: a whole message is kept (a copy: pings are not the hot path) for the next receive.
    private async ValueTask<bool> KeepEarlyAsync()
    {
        if (!await NextMessageAsync(WebSocketErrorCodes.PingTimeout, untilWhole: false).ConfigureAwait(false))
        {
            return Error is null;
        }
        _early.Enqueue((Message.ToArray(), MessageType));
        return true;
    }

    private Task<ValueWebSocketReceiveResult> ReceiveFrameAsync()
    {
        if (_buffer.Length - _length == 0)
        {
            Grow();
        }
        return _socket!.ReceiveAsync(_buffer.AsMemory(_length), CancellationToken.None).AsTask();
    }

    /// <summary>
    /// Reads frames into the buffer until a message is whole (or, with <paramref name="untilWhole"/> false, only the
    /// frame a ping left pending); true with <see cref="Message"/> set when one is.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> NextMessageAsync(string timeoutError, bool untilWhole = true)
    {
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult frame;
                if (_pending is { } pending)
                {
                    _pending = null;
                    frame = await pending.ConfigureAwait(false);
                }
                else
                {
                    if (_length == _buffer.Length && !Grow())
                    {
                        return false;
                    }
                    frame = await _socket!.ReceiveAsync(_buffer.AsMemory(_length), CancellationToken.None).ConfigureAwait(false);
                }
                if (frame.MessageType == WebSocketMessageType.Close)
                {
                    if (_closing)
                    {
                        return false;
                    }
                    Fail(_length > 0 ? WebSocketErrorCodes.ClosedMidMessage : WebSocketErrorCodes.ClosedByServer);
                    return false;
                }
                _length += frame.Count;
                if (frame.EndOfMessage)
                {
                    Message = _buffer.AsMemory(0, _length);
                    MessageType = frame.MessageType;
                    _length = 0;
                    using var writer = _vu.Scenario.Recorder.BeginWrite();
                    writer.AddCounter(_metrics.MsgsReceived, 1);
                    return true;
                }
                if (!untilWhole)
                {
                    return false;
                }
            }
        }
        catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException)
        {
            if (!_closing || _iteration.IsCancellationRequested)
            {
                Fail(Cancelled(timeoutError) ?? WebSocketErrorCodes.Classify(error, _length > 0));
            }
            return false;
        }
    }

    // Doubles the buffer up to the message size limit; past it the session ends with message_too_large.
    private bool Grow()
    {
        if (_buffer.Length >= _maxMessageBytes)
        {
            Fail(WebSocketErrorCodes.MessageTooLarge);
            return false;
        }
        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, _maxMessageBytes));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
        return true;
    }

    /// <summary>Closes with a close handshake, waiting at most <paramref name="timeout"/> for the server's answer.</summary>
    public async ValueTask CloseAsync(int status, TimeSpan timeout)
    {
        if (_socket is { State: WebSocketState.Open or WebSocketState.CloseReceived } socket && Error is null)
        {
            _deadline.CancelAfter(timeout);
            try
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)status, null, _deadline.Token).ConfigureAwait(false);
                // Messages the server sent before it saw our close still arrive, and count; its close ends the loop.
                _closing = true;
                while (socket.State == WebSocketState.CloseSent && await NextMessageAsync(WebSocketErrorCodes.ReceiveTimeout).ConfigureAwait(false))
                {
                }
            }
            catch (Exception error) when (error is WebSocketException or OperationCanceledException or IOException)
            {
                // The server's answer to our close is not part of what the test measured: an early hang-up is no failure.
                if (_iteration.IsCancellationRequested)
                {
                    Fail(NetworkError.Interrupted);
                }
            }
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Ends the session: aborts the socket if still open and records the session's samples, once.</summary>
    public ValueTask DisposeAsync()
    {
        if (_ended)
        {
            return ValueTask.CompletedTask;
        }
        _ended = true;
        _abortOnDeadline.Dispose();
        _socket?.Abort();
        _socket?.Dispose();
        _invoker?.Dispose();
        _deadline.Dispose();
        var reading = _pending is { IsCompleted: false };
        _pending?.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        var outcome = _metrics.For(Status, Error);
        using (var writer = _vu.Scenario.Recorder.BeginWrite())
        {
            writer.AddCounter(outcome.Sessions, 1);
            writer.AddTrendFixed(outcome.Duration, MonotonicClock.ToMicroseconds(MonotonicClock.Now - _started));
            writer.AddRate(outcome.Failed, Error is not null);
            writer.AddCounter(outcome.DataSent, _wire?.Sent ?? 0);
            writer.AddCounter(outcome.DataReceived, _wire?.Received ?? 0);
        }
        if (!reading)
        {
            ArrayPool<byte>.Shared.Return(_buffer); // a read still in flight may yet write to it: the GC takes that one
        }
        _buffer = [];
        return ValueTask.CompletedTask;
    }

    private void Fail(string error)
    {
        Error ??= error;
        _socket?.Abort();
    }

    // After a cancellation: the run's end (interrupted), or this operation's own deadline (the given error); null otherwise.
    private string? Cancelled(string deadlineError) =>
        _iteration.IsCancellationRequested ? NetworkError.Interrupted
        : _deadline.IsCancellationRequested ? deadlineError
        : null;
}
