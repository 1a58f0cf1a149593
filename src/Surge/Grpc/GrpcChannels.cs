using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Grpc.Net.Client;
using Surge.Http;
using Surge.Plans;

namespace Surge.Grpc;

/// <summary>
/// The gRPC channels of one VU (k6's default: each VU its own connection), or of the whole run when the test shares
/// connections. One channel per target address, made on first use and disposed with its owner.
/// </summary>
internal sealed class GrpcChannels(HttpOptions options, bool shared) : IDisposable
{
    private readonly ConcurrentDictionary<Uri, GrpcConnection> _connections = new();

    public GrpcConnection For(Uri address) =>
        _connections.TryGetValue(address, out var connection) ? connection : _connections.GetOrAdd(address, a => new GrpcConnection(a, options, shared));

    public void Dispose()
    {
        foreach (var connection in _connections.Values)
        {
            connection.Dispose();
        }
        _connections.Clear();
    }
}

/// <summary>
/// One Grpc.Net.Client channel on a SocketsHttpHandler of its own, whose connections count their bytes. A channel
/// for one VU keeps one HTTP/2 connection (as k6 does); a shared one opens more when a connection's stream limit is
/// reached.
/// </summary>
internal sealed class GrpcConnection : IDisposable
{
    public GrpcConnection(Uri address, HttpOptions options, bool shared)
    {
        Address = address;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            EnableMultipleHttp2Connections = shared,
            ConnectCallback = ConnectAsync,
        };
        handler.SslOptions.RemoteCertificateValidationCallback = TlsPolicy.ValidationFor(options);
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            // Load tests read whatever the service sends; the 4 MB default would turn a large answer into a failure.
            MaxReceiveMessageSize = null,
        });
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    /// <summary>Bytes on this channel's sockets not yet recorded as data_sent / data_received.</summary>
    public ByteCounter Bytes { get; } = new();

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new CountingStream(new NetworkStream(socket, ownsSocket: true), Bytes);
    }

    public void Dispose() => Channel.Dispose();
}
