using System.Collections.Concurrent;
using Grpc.Net.Client;
using Surge.Http;
using Surge.Http.Http2;
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
/// One Grpc.Net.Client channel on a SocketsHttpHandler of its own whose connections count their wire bytes
/// (<see cref="CountingConnection"/>, shared with the HTTP/2 client). A channel for one VU keeps one HTTP/2
/// connection (as k6 does); a shared one opens more when a connection's stream limit is reached.
/// </summary>
internal sealed class GrpcConnection : IDisposable
{
    public GrpcConnection(Uri address, HttpOptions options, bool shared)
    {
        Address = address;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = CountingConnection.CreateHandler(Bytes, TlsPolicy.ValidationFor(options), multipleConnections: shared),
            DisposeHttpClient = true,
            // Load tests read whatever the service sends; the 4 MB default would turn a large answer into a failure.
            MaxReceiveMessageSize = null,
        });
    }

    public Uri Address { get; }

    public GrpcChannel Channel { get; }

    /// <summary>Bytes on this channel's sockets; each call claims those not yet recorded as data_sent / data_received.</summary>
    public WireCounter Bytes { get; } = new();

    public void Dispose() => Channel.Dispose();
}
