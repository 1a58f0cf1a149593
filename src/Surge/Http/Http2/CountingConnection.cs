using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Net.Sockets;
using Surge.Http.Http1;

namespace Surge.Http.Http2;

/// <summary>
/// HTTP/2 connections whose wire bytes are counted: a SocketsHttpHandler whose ConnectCallback opens the socket itself
/// and puts a <see cref="CountingStream"/> on it, below TLS. h2c with prior knowledge on http:// and ALPN h2 on https://
/// follow from sending HTTP/2 requests with <see cref="HttpVersionPolicy.RequestVersionExact"/>. Nothing here knows
/// about requests or metrics, so any HttpClient-based protocol (HTTP/2 requests, gRPC channels) can count its bytes.
/// </summary>
internal static class CountingConnection
{
    /// <summary>
    /// Put a <see cref="ConnectAttempt"/> into a request's options to learn the DNS, connect and TLS phases of the
    /// connection it opens, if it opens one (the attempt stays untouched when the request reuses a connection).
    /// </summary>
    public static readonly HttpRequestOptionsKey<ConnectAttempt> AttemptKey = new("Surge.ConnectAttempt");

    /// <summary>
    /// A handler for HTTP/2 whose every connection counts into <paramref name="counter"/>. It follows no redirect, keeps
    /// no cookies, uses no proxy and does not decompress: the caller sees what the server sent. With
    /// <paramref name="multipleConnections"/> false (one connection per VU, as k6) streams beyond the server's
    /// concurrency limit wait for a free stream instead of opening a second connection.
    /// </summary>
    public static SocketsHttpHandler CreateHandler(WireCounter counter, RemoteCertificateValidationCallback? certificateValidation,
        bool multipleConnections = false)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = multipleConnections,
            ConnectCallback = (context, cancellationToken) => OpenAsync(context.DnsEndPoint, counter,
                AttemptOf(context.InitialRequestMessage), context.InitialRequestMessage.RequestUri?.Scheme == Uri.UriSchemeHttps, cancellationToken),
            PlaintextStreamFilter = Opened,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = certificateValidation;
        return handler;
    }

    /// <summary>A TCP connection to <paramref name="endPoint"/> (resolved first unless it is an address), counting into <paramref name="counter"/>.</summary>
    public static async ValueTask<Stream> OpenAsync(DnsEndPoint endPoint, WireCounter counter, ConnectAttempt? attempt, bool tls,
        CancellationToken cancellationToken)
    {
        attempt?.Start(tls);
        var addresses = IPAddress.TryParse(endPoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endPoint.Host, cancellationToken).ConfigureAwait(false);
        attempt?.Resolved();
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endPoint.Port, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        attempt?.Connected();
        return new CountingStream(new NetworkStream(socket, ownsSocket: true), counter);
    }

    private static ConnectAttempt? AttemptOf(HttpRequestMessage request) =>
        request.Options.TryGetValue(AttemptKey, out var attempt) ? attempt : null;

    // Called once the connection is usable: after the TLS handshake on https, right after connecting otherwise.
    private static ValueTask<Stream> Opened(SocketsHttpPlaintextStreamFilterContext context, CancellationToken cancellationToken)
    {
        AttemptOf(context.InitialRequestMessage)?.Opened();
        return ValueTask.FromResult(context.PlaintextStream);
    }
}
