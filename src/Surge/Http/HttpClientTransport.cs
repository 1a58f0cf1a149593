using System.Buffers;
using System.Net;
using System.Net.Http;
using Surge.Engine;
using Surge.Http.Http1;
using Surge.Http.Http2;

namespace Surge.Http;

/// <summary>
/// HTTP/2 through SocketsHttpHandler on <see cref="Http2Connections"/>: h2c with prior knowledge on http://, ALPN h2
/// on https:// (HTTP/1.1 takes the faster <see cref="Http1.Http1Client"/>). Data sent and received are the wire bytes
/// the request's connection moved since the previous request claimed them (<see cref="WireCounter.Claim"/>): exact in
/// total, exact per request while one request is in flight on the connection. The request that opens a connection
/// gets its DNS, connect and TLS phases (blocked is k6's: the wait for a usable connection, connecting and TLS
/// included); sending ends with the connection's last write before the response headers, waiting with the headers,
/// receiving with the body. Every failure, an interrupt included, is classified into a named error, never thrown.
/// Safe for concurrent requests (a C# step's Task.WhenAll): all per-request state lives in the call.
/// </summary>
internal sealed class HttpClientTransport(Http2Connections connections, HttpSession? session = null, bool ownsConnections = false) : IHttpTransport
{
    private const int BufferSize = 16 * 1024;

    /// <summary>A transport on connections of its own, as a VU has.</summary>
    public HttpClientTransport(Plans.HttpOptions options, HttpSession? session = null)
        : this(new Http2Connections(options, shared: false), session, ownsConnections: true)
    {
    }

    public async ValueTask<HttpTimings> SendAsync(HttpRequest request, HttpResponseBuffer? keep, CancellationToken cancellationToken)
    {
        var timings = default(HttpTimings);
        var attempt = new ConnectAttempt();
        var started = MonotonicClock.Now;
        long headersAt = 0;
        long lastWriteAt = 0;
        using var message = new HttpRequestMessage(request.Method, request.Uri)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        message.Options.Set(CountingConnection.AttemptKey, attempt);
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
        if (session?.CookieHeaderFor(request) is { } cookies)
        {
            message.Headers.TryAddWithoutValidation("Cookie", cookies);
        }
        session?.BeginResponse();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        try
        {
            using var response = await connections.Invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
            headersAt = MonotonicClock.Now;
            lastWriteAt = connections.Counter.LastWriteAt;
            timings.Status = (int)response.StatusCode;
            ReadHead(response, keep, session);
            var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                int read;
                while ((read = await body.ReadAsync(buffer, timeout.Token).ConfigureAwait(false)) > 0)
                {
                    if (keep is not null && !keep.AppendBody(buffer.AsSpan(0, read)))
                    {
                        timings.Error = NetworkError.ResponseTooLarge;
                        timings.Status = 0;
                        break;
                    }
                }
            }
            if (timings.Error is null)
            {
                session?.StoreCookies(request);
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
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        var ended = MonotonicClock.Now;
        timings.EndedAt = ended;
        (timings.BytesSent, timings.BytesReceived) = connections.Counter.Claim();
        // A connection opened for this request: until it was usable the request was blocked (k6's blocked includes
        // connecting and TLS); one that never became usable took all the time there was.
        var ready = started;
        if (attempt.StartedAt != 0)
        {
            var opening = attempt.Phases(ended);
            timings.Connecting = opening.Connect;
            timings.TlsHandshaking = opening.Tls;
            ready = attempt.OpenedAt == 0 ? ended : Math.Max(started, attempt.OpenedAt);
            timings.Blocked = ready - started;
        }
        var firstByte = headersAt == 0 ? ended : headersAt;
        var sent = Math.Clamp(lastWriteAt, ready, Math.Max(ready, firstByte));
        timings.Sending = sent - ready;
        timings.Waiting = Math.Max(0, firstByte - sent);
        timings.Receiving = ended - firstByte;
        return timings;
    }

    /// <summary>
    /// One walk over the response headers: notes Set-Cookie and Location for the session and, when a check or capture
    /// needs them, keeps status and header lines.
    /// </summary>
    private static void ReadHead(HttpResponseMessage response, HttpResponseBuffer? keep, HttpSession? session)
    {
        keep?.Clear();
        keep?.SetStatus((int)response.StatusCode);
        if (keep is null && session is null)
        {
            return;
        }
        foreach (var header in response.Headers.NonValidated.Concat(response.Content.Headers.NonValidated))
        {
            foreach (var value in header.Value)
            {
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
    }

    public void Dispose()
    {
        if (ownsConnections)
        {
            connections.Dispose();
        }
    }
}
