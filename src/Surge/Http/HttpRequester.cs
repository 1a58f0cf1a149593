using System.Buffers;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Surge.Engine;

namespace Surge.Http;

/// <summary>
/// One virtual user's HTTP connection, like k6's per-VU connections, on SocketsHttpHandler. The connect callback
/// times DNS and TCP connect; headers arriving mark the end of waiting; the body is read into a reused buffer and
/// discarded. Every failure is classified into a named error, never thrown.
/// </summary>
public sealed class HttpRequester : IDisposable
{
    private readonly HttpMessageInvoker _invoker;
    private readonly byte[] _buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
    private long _dnsTicks;
    private long _connectTicks;

    public HttpRequester()
    {
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
        };
        _invoker = new HttpMessageInvoker(handler, disposeHandler: true);
    }

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var started = MonotonicClock.Now;
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        var resolved = MonotonicClock.Now;
        _dnsTicks = resolved - started;
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
        _connectTicks = MonotonicClock.Now - resolved;
        return new NetworkStream(socket, ownsSocket: true);
    }

    public async ValueTask<HttpTimings> SendAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var timings = new HttpTimings { BytesSent = request.RequestHeadBytes + (request.Body?.Length ?? 0) };
        _dnsTicks = 0;
        _connectTicks = 0;
        var started = MonotonicClock.Now;
        long headersAt = 0;
        using var message = new HttpRequestMessage(request.Method, request.Uri);
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
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        try
        {
            using var response = await _invoker.SendAsync(message, timeout.Token).ConfigureAwait(false);
            headersAt = MonotonicClock.Now;
            timings.Status = (int)response.StatusCode;
            timings.BytesReceived = EstimateHeadBytes(response);
            var body = await response.Content.ReadAsStreamAsync(timeout.Token).ConfigureAwait(false);
            await using (body.ConfigureAwait(false))
            {
                int read;
                while ((read = await body.ReadAsync(_buffer, timeout.Token).ConfigureAwait(false)) > 0)
                {
                    timings.BytesReceived += read;
                }
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            timings.Error = NetworkError.Classify(exception);
            timings.Status = 0;
        }
        var ended = MonotonicClock.Now;
        timings.Blocked = _dnsTicks;
        timings.Connecting = _connectTicks;
        var firstByte = headersAt == 0 ? ended : headersAt;
        timings.Waiting = Math.Max(0, firstByte - started - _dnsTicks - _connectTicks);
        timings.Receiving = ended - firstByte;
        return timings;
    }

    private static long EstimateHeadBytes(HttpResponseMessage response)
    {
        long bytes = 17 + (response.ReasonPhrase?.Length ?? 0);
        foreach (var header in response.Headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                bytes += header.Key.Length + 4 + value.Length;
            }
        }
        foreach (var header in response.Content.Headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                bytes += header.Key.Length + 4 + value.Length;
            }
        }
        return bytes + 2;
    }

    public void Dispose()
    {
        _invoker.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
