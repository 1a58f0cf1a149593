using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Surge.Engine;
using Surge.Plans;

namespace Surge.Http.Http1;

/// <summary>
/// One keep-alive HTTP/1.1 connection: a socket, optionally wrapped in TLS, with its response parser and receive
/// buffer. With many connections open in the process the buffer is rented per response and a response is first awaited with a
/// zero-byte read, so idle and waiting connections hold no buffer (20,000 VUs cost 4.5 KB each); with few, each
/// connection keeps its buffer. Bytes of a further pipelined response stay buffered for the next read.
/// </summary>
internal sealed class Http1Connection : IDisposable
{
    private const int BufferSize = 16 * 1024;

    // Open connections beyond which each holds no buffer between responses and waits with zero-byte reads.
    private const int BufferedWaitLimit = 256;
    private static int s_open;

    private readonly Socket _socket;
    private readonly SslStream? _tls;
    private readonly ResponseParser _parser = new();
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _tooLarge;
    private int _disposed;

    private Http1Connection(HttpEndpoint endpoint, Socket socket, SslStream? tls)
    {
        Endpoint = endpoint;
        _socket = socket;
        _tls = tls;
        Interlocked.Increment(ref s_open);
    }

    private static bool ManyOpen => Volatile.Read(ref s_open) > BufferedWaitLimit;

    public HttpEndpoint Endpoint { get; }

    /// <summary>
    /// Resolves, connects and (for https) handshakes, stamping each phase on <paramref name="attempt"/> as it ends, so
    /// that a failed attempt still shows where its time went.
    /// </summary>
    public static async Task<Http1Connection> OpenAsync(HttpEndpoint endpoint, HttpOptions options, ConnectAttempt attempt,
        CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        attempt.Resolved();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken).ConfigureAwait(false);
            attempt.Connected();
            var tls = endpoint.Tls ? await HandshakeAsync(socket, endpoint, options, cancellationToken).ConfigureAwait(false) : null;
            attempt.Opened();
            return new Http1Connection(endpoint, socket, tls);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<SslStream> HandshakeAsync(Socket socket, HttpEndpoint endpoint, HttpOptions options, CancellationToken cancellationToken)
    {
        var tls = new SslStream(new NetworkStream(socket, ownsSocket: true), leaveInnerStreamOpen: false);
        var authentication = new SslClientAuthenticationOptions
        {
            TargetHost = endpoint.Host,
            ApplicationProtocols = [SslApplicationProtocol.Http11],
            RemoteCertificateValidationCallback = TlsPolicy.ValidationFor(options),
        };
        try
        {
            await tls.AuthenticateAsClientAsync(authentication, cancellationToken).ConfigureAwait(false);
            return tls;
        }
        catch
        {
            await tls.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Writes the prepared request in one go. Plain connections talk to the socket itself, skipping a stream layer on
    /// the hot path. Socket calls take no token: the watchdog aborts instead.
    /// </summary>
    public ValueTask WriteAsync(ReadOnlyMemory<byte> wire) =>
        _tls is null ? SendAllAsync(wire) : _tls.WriteAsync(wire);

    private async ValueTask SendAllAsync(ReadOnlyMemory<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            bytes = bytes[await _socket.SendAsync(bytes, SocketFlags.None).ConfigureAwait(false)..];
        }
    }

    /// <summary>Fails whatever read or write is pending, from another thread (timeouts, interrupts).</summary>
    public void Abort() => _socket.Dispose();

    /// <summary>Bytes of the current response taken from the wire so far (its data_received).</summary>
    public long ResponseBytes { get; private set; }

    public bool HasBufferedBytes => _start < _end;

    /// <summary>Why the current response failed, a <see cref="NetworkError"/> name.</summary>
    public string? Error => _tooLarge ? NetworkError.ResponseTooLarge : _parser.Error;

    public int Status => _parser.Status;

    public bool KeepAlive => _parser.KeepAlive;

    /// <summary>
    /// Starts reading a response. The read loop itself lives in <see cref="Http1Client.SendAsync"/>, one async level
    /// for the whole exchange, because each level a completion passes through costs measurably on one core.
    /// </summary>
    public void BeginResponse(HttpRequest request, HttpResponseBuffer? keep, HttpSession? session)
    {
        _parser.Begin(request.IsHead, keep, session);
        _tooLarge = false;
        ResponseBytes = 0;
    }

    /// <summary>
    /// True when the response should be awaited with a zero-byte read before a buffer is rented: with many connections,
    /// 20,000 waiting VUs must not pin 20,000 buffers. It costs a system call, hence the threshold. (With few
    /// connections each keeps its buffer, so there is nothing to wait for without.)
    /// </summary>
    public bool ShouldWaitWithoutBuffer => _buffer is null && ManyOpen;

    public ValueTask<int> WaitForBytesAsync() => ReceiveAsync(Memory<byte>.Empty);

    /// <summary>Feeds buffered bytes to the parser.</summary>
    public ParseStatus ParseBuffered()
    {
        if (_start == _end)
        {
            return ParseStatus.NeedMore;
        }
        var status = _parser.Parse(_buffer.AsSpan(_start, _end - _start), out var consumed);
        _start += consumed;
        ResponseBytes += consumed;
        return status;
    }

    /// <summary>Room for the next read; empty when one line outgrew every buffer we allow (response_too_large).</summary>
    public Memory<byte> FreeSpace()
    {
        _buffer ??= ArrayPool<byte>.Shared.Rent(BufferSize);
        if (!MakeRoom())
        {
            _tooLarge = true;
            return Memory<byte>.Empty;
        }
        return _buffer.AsMemory(_end);
    }

    public ValueTask<int> ReceiveAsync(Memory<byte> buffer) =>
        _tls is null ? _socket.ReceiveAsync(buffer, SocketFlags.None) : _tls.ReadAsync(buffer);

    public void Filled(int count) => _end += count;

    /// <summary>The peer closed: a close-delimited body is complete, anything else ended early.</summary>
    public ParseStatus PeerClosed()
    {
        ResponseBytes += _end - _start;
        _start = _end;
        return _parser.Finish();
    }

    /// <summary>
    /// Returns the buffer to the pool, unless it holds the start of a pipelined response or few connections are open (then
    /// keeping it costs little memory and saves a rent and a return per request).
    /// </summary>
    public void EndResponse()
    {
        if (_start != _end)
        {
            return;
        }
        _start = _end = 0;
        if (_buffer is not null && ManyOpen)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }

    // Moves a partial line to the front, or grows the buffer for a single line longer than it (a head line may be
    // as long as the parser's head cap, which fails first); reports a line longer than even that.
    private bool MakeRoom()
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _buffer!.Length)
        {
            if (_start == 0)
            {
                if (_buffer.Length > ResponseParser.MaxHeadBytes)
                {
                    return false;
                }
                var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                _buffer.AsSpan(0, _end).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
                return true;
            }
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        return true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Interlocked.Decrement(ref s_open);
        _tls?.Dispose();
        _socket.Dispose();
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}

/// <summary>Ticks spent resolving the host, connecting, and in the TLS handshake (0 for plain http).</summary>
internal readonly record struct ConnectTimings(long Dns, long Connect, long Tls);

/// <summary>
/// The clock of one connection attempt, stamped as each phase ends. Read at the end of the attempt, successful or
/// not, it splits the time into k6's phases: a refused connect is connecting time, a failed handshake is TLS time.
/// One per client, reused for every attempt.
/// </summary>
internal sealed class ConnectAttempt
{
    private bool _tls;
    private long _started;
    private long _resolved;
    private long _connected;
    private long _opened;

    public void Start(bool tls)
    {
        _tls = tls;
        _started = MonotonicClock.Now;
        _resolved = _connected = _opened = 0;
    }

    public void Resolved() => _resolved = MonotonicClock.Now;

    public void Connected() => _connected = MonotonicClock.Now;

    public void Opened() => _opened = MonotonicClock.Now;

    /// <summary>When the attempt started, or 0 when it never did (the request reused a connection).</summary>
    public long StartedAt => _started;

    /// <summary>When the connection became usable, or 0 while it is not (yet).</summary>
    public long OpenedAt => _opened;

    /// <summary>The phases of the attempt: up to its opening, or up to <paramref name="now"/> when it failed or is still going.</summary>
    public ConnectTimings Phases(long now)
    {
        var end = _opened == 0 ? now : _opened;
        return new(
            (_resolved == 0 ? end : _resolved) - _started,
            _resolved == 0 ? 0 : (_connected == 0 ? end : _connected) - _resolved,
            _connected == 0 || !_tls ? 0 : end - _connected);
    }
}
