using System.Buffers;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Surge.Engine;

namespace Surge.Http;

/// <summary>
/// HTTP/2 through SocketsHttpHandler, one handler per VU like k6's per-VU connections (HTTP/1.1 takes the faster
/// <see cref="Http1.Http1Client"/>). The connect callback times DNS and TCP connect, the plaintext filter (called
/// once TLS is up) the handshake; headers arriving mark the end of waiting. Blocked is k6's: the wait for a usable
/// connection, connecting and TLS included. The handler hides sending, so that phase reads 0 and data sent is the
/// HTTP/1.1 size of the message. Every failure, an interrupt included, is classified into a named error, never thrown.
/// </summary>
internal sealed class HttpClientTransport : IHttpTransport
{
    private readonly HttpMessageInvoker _invoker;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private readonly Http1.ConnectAttempt _attempt = new();
    private readonly HttpSession? _session;
    private bool _opening;

    /// <param name="session">The VU's cookies and redirect notes, shared with its HTTP/1.1 client.</param>
    public HttpClientTransport(Plans.HttpOptions options, HttpSession? session = null)
    {
        _session = session;
        var handler = new SocketsHttpHandler
        {
            // Every redirect is a request of its own in the metrics, as in k6; following them silently would hide them.
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 1,
            ConnectCallback = ConnectAsync,
            PlaintextStreamFilter = Opened,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = TlsPolicy.ValidationFor(options);
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        _attempt.Start(context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps);
        _opening = true;
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        _attempt.Resolved();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _attempt.Connected();
        return new NetworkStream(socket, ownsSocket: true);
    }

    // Called once the connection is usable: after the TLS handshake for https, right after connecting otherwise.
    private ValueTask<Stream> Opened(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken)
    {
        _attempt.Opened();
        return ValueTask.FromResult(context.PlaintextStream);
    }

    public async ValueTask<HttpTimings> SendAsync(HttpRequest request, HttpResponseBuffer? keep, CancellationToken cancellationToken)
    {
        var timings = new HttpTimings { BytesSent = request.Wire.Length };
        _opening = false;
        var started = MonotonicClock.Now;
        long headersAt = 0;
        using var message = new HttpRequestMessage(request.Method, request.Uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
        }
        foreach (var (name, value) in request.Headers)
        {
            // Content headers (Content-Type, ...) are refused by the request headers and belong to the content.
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                (message.Content ??= new ByteArrayContent([])).Headers.TryAddWithoutValidation(name, value);
            }
        }
        if (_session?.CookieHeaderFor(request) is { } cookies)
        {
            message.Headers.TryAddWithoutValidation("Cookie", cookies);
            timings.BytesSent += "Cookie: \r\n".Length + cookies.Length;
        }
        _session?.BeginResponse();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        try
        {
            using var response = await _invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
            headersAt = MonotonicClock.Now;
            timings.Status = (int)response.StatusCode;
            timings.BytesReceived = ReadHead(response, keep, _session);
            var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                int read;
                while ((read = await body.ReadAsync(_buffer, timeout.Token).ConfigureAwait(false)) > 0)
                {
                    timings.BytesReceived += read;
                    if (keep is not null && !keep.AppendBody(_buffer.AsSpan(0, read)))
                    {
                        timings.Error = NetworkError.ResponseTooLarge;
                        timings.Status = 0;
                        break;
                    }
                }
            }
            if (timings.Error is null)
            {
                _session?.StoreCookies(request);
            }
        }
        catch (Exception exception)
        {
            timings.Error = cancellationToken.IsCancellationRequested ? NetworkError.Interrupted : NetworkError.Classify(exception);
            timings.Status = 0;
            if (headersAt == 0)
            {
                keep?.Clear(); // checks and captures must not read the previous response
            }
        }
        var ended = MonotonicClock.Now;
        timings.EndedAt = ended;
        // A connection opened for this request: until it was usable the request was blocked (k6's blocked includes
        // connecting and TLS); one that never became usable took all the time there was.
        var ready = started;
        if (_opening)
        {
            var opening = _attempt.Phases(ended);
            timings.Connecting = opening.Connect;
            timings.TlsHandshaking = opening.Tls;
            ready = _attempt.OpenedAt == 0 ? ended : Math.Max(started, _attempt.OpenedAt);
            timings.Blocked = ready - started;
        }
        var firstByte = headersAt == 0 ? ended : headersAt;
        timings.Waiting = Math.Max(0, firstByte - ready);
        timings.Receiving = ended - firstByte;
        return timings;
    }

    /// <summary>
    /// One walk over the response headers: estimates the head's size on the wire (for data_received), notes Set-Cookie
    /// and Location for the session and, when a check or capture needs them, keeps status and header lines.
    /// </summary>
    private static long ReadHead(HttpResponseMessage response, HttpResponseBuffer? keep, HttpSession? session)
    {
        keep?.Clear();
        keep?.SetStatus((int)response.StatusCode);
        long bytes = 17 + (response.ReasonPhrase?.Length ?? 0) + 2;
        foreach (var header in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            foreach (var value in header.Value)
            {
                bytes += header.Key.Length + 4 + value.Length;
                if (session is not null && header.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase))
                {
                    session.NoteSetCookie(System.Text.Encoding.Latin1.GetBytes(value));
                }
                else if (session is not null && header.Key.Equals("Location", StringComparison.OrdinalIgnoreCase))
                {
                    session.NoteLocation(System.Text.Encoding.Latin1.GetBytes(value));
                }
                keep?.AppendHead(System.Text.Encoding.Latin1.GetBytes($"{header.Key}: {value}"));
            }
        }
        return bytes;
    }

    public void Dispose()
    {
        _invoker.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
