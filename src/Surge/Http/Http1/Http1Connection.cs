using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Surge.Engine;
using Surge.Plans;

namespace Surge.Http.Http1;

/// <summary>
/// One keep-alive HTTP/1.1 connection: a socket, optionally wrapped in TLS. The receive buffer is rented only once
/// response bytes are there to read (idle or waiting connections hold none), and kept past the response only when
/// bytes of a further pipelined response already arrived.
/// </summary>
public sealed class Http1Connection : IDisposable
{
    private const int BufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly ResponseParser _parser = new();
    private byte[]? _buffer;
    private int _start;
    private int _end;

    private Http1Connection(HttpEndpoint endpoint, Socket socket, Stream stream, ConnectTimings opening)
    {
        Endpoint = endpoint;
        _socket = socket;
        _stream = stream;
        Opening = opening;
    }

    public HttpEndpoint Endpoint { get; }

    /// <summary>What opening the connection cost, charged to the request that opened it.</summary>
    public ConnectTimings Opening { get; }

    /// <summary>Requests this connection has carried; a failure on a reused connection may just be a stale one.</summary>
    public int Requests { get; private set; }

    /// <summary>Resolves, connects and (for https) handshakes, timing each phase.</summary>
    public static async Task<Http1Connection> OpenAsync(HttpEndpoint endpoint, HttpOptions options, CancellationToken cancellationToken)
    {
        var started = MonotonicClock.Now;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken).ConfigureAwait(false);
        var resolved = MonotonicClock.Now;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken).ConfigureAwait(false);
            var connected = MonotonicClock.Now;
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (endpoint.Tls)
            {
                stream = await HandshakeAsync(stream, endpoint, options, cancellationToken).ConfigureAwait(false);
            }
            var opening = new ConnectTimings(resolved - started, connected - resolved, endpoint.Tls ? MonotonicClock.Now - connected : 0);
            return new Http1Connection(endpoint, socket, stream, opening);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task<Stream> HandshakeAsync(Stream network, HttpEndpoint endpoint, HttpOptions options, CancellationToken cancellationToken)
    {
        var tls = new SslStream(network, leaveInnerStreamOpen: false);
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

    /// <summary>Writes the prepared request in one go. Socket calls take no token: the watchdog aborts instead.</summary>
    public ValueTask WriteAsync(HttpRequest request)
    {
        Requests++;
        return _stream.WriteAsync(request.Wire);
    }

    /// <summary>Fails whatever read or write is pending, from another thread (timeouts, interrupts).</summary>
    public void Abort() => _socket.Dispose();

    /// <summary>Reads one response, feeding the parser until it completes, fails or the peer closes.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ResponseRead> ReadResponseAsync(HttpRequest request, HttpResponseBuffer? keep)
    {
        _parser.Begin(request.IsHead, keep);
        if (_buffer is null)
        {
            // A zero-byte read waits for the response without holding a buffer, so that 20,000 VUs waiting on slow
            // responses do not pin 20,000 buffers.
            await _stream.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
            _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        }
        long firstByteAt = _start < _end ? MonotonicClock.Now : 0;
        long received = 0;
        var status = ParseStatus.NeedMore;
        while (true)
        {
            if (_start < _end)
            {
                status = _parser.Parse(_buffer.AsSpan(_start, _end - _start), out var consumed);
                _start += consumed;
                received += consumed;
                if (status != ParseStatus.NeedMore)
                {
                    break;
                }
            }
            if (!MakeRoom())
            {
                return Finish(new ResponseRead(0, NetworkError.ResponseTooLarge, firstByteAt, received, KeepAlive: false));
            }
            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_end)).ConfigureAwait(false);
            }
            catch (IOException) when (received == 0 && _start == _end && Requests > 1)
            {
                return Finish(new ResponseRead(0, NetworkError.ConnectionReset, 0, 0, KeepAlive: false, NothingReceived: true));
            }
            if (firstByteAt == 0)
            {
                firstByteAt = MonotonicClock.Now;
            }
            if (read == 0)
            {
                received += _end - _start;
                _start = _end;
                status = _parser.Finish();
                return Finish(status == ParseStatus.Complete
                    ? new ResponseRead(_parser.Status, null, firstByteAt, received, KeepAlive: false)
                    : new ResponseRead(0, _parser.Error, firstByteAt, received, KeepAlive: false, NothingReceived: received == 0));
            }
            _end += read;
        }
        return Finish(status == ParseStatus.Complete
            ? new ResponseRead(_parser.Status, null, firstByteAt, received, _parser.KeepAlive)
            : new ResponseRead(0, _parser.Error, firstByteAt, received, KeepAlive: false));
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

    // Returns the buffer to the pool unless it holds the start of a pipelined response.
    private ResponseRead Finish(ResponseRead read)
    {
        if (_start == _end && _buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _start = _end = 0;
        }
        return read;
    }

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }
    }
}

/// <summary>Ticks spent resolving the host, connecting, and in the TLS handshake (0 for plain http).</summary>
public readonly record struct ConnectTimings(long Dns, long Connect, long Tls);

/// <summary>What reading one response produced. <see cref="NothingReceived"/> marks a connection the server had already closed.</summary>
public readonly record struct ResponseRead(int Status, string? Error, long FirstByteAt, long BytesReceived, bool KeepAlive, bool NothingReceived = false);
