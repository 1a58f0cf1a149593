using System.Net.Http;
using Surge.Plans;

namespace Surge.Http.Http2;

/// <summary>
/// Where HTTP/2 requests go: one handler whose connection(s) count their wire bytes. Each VU has its own (one
/// multiplexed connection per VU and endpoint, as k6; a VU's concurrent requests share it), or, with
/// `connections: shared`, the run has one that every VU multiplexes onto, opening more connections only when the
/// server's stream limit is reached.
/// </summary>
internal sealed class Http2Connections : IDisposable
{
    public Http2Connections(HttpOptions options, bool shared)
    {
        Invoker = new HttpMessageInvoker(CountingConnection.CreateHandler(Counter, TlsPolicy.ValidationFor(options), multipleConnections: shared),
            disposeHandler: true);
    }

    public WireCounter Counter { get; } = new();

    internal HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
