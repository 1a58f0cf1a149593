using System.Net;
using System.Net.Sockets;

namespace Surge.Tests.Http;

/// <summary>
/// A raw HTTP/2 peer that answers the first request's HEADERS with GOAWAY(last stream 1, INTERNAL_ERROR) and closes:
/// the request was taken and then the connection ended with an error, which Kestrel cannot be made to do.
/// </summary>
internal sealed class GoAwayServer : IAsyncDisposable
{
    private static readonly byte[] EmptySettings = [0, 0, 0, 4, 0, 0, 0, 0, 0];
    private static readonly byte[] GoAway = [0, 0, 8, 7, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2];

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public GoAwayServer()
    {
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _serving = ServeAsync();
    }

    public Uri Url { get; }

    private async Task ServeAsync()
    {
        try
        {
            using var socket = await _listener.AcceptSocketAsync(_stop.Token);
            await socket.SendAsync(EmptySettings, _stop.Token);
            var buffer = new byte[4096];
            var seen = new List<byte>();
            // The client preface (24 bytes), its SETTINGS, then frames until a HEADERS frame (type 1) for stream 1.
            while (!HasHeaders(seen))
            {
                var read = await socket.ReceiveAsync(buffer, _stop.Token);
                if (read == 0)
                {
                    return;
                }
                seen.AddRange(buffer.AsSpan(0, read));
            }
            // The request (stream 1) may still complete after the GOAWAY; closing the socket is what ends it.
            await socket.SendAsync(GoAway, _stop.Token);
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException)
        {
        }
    }

    private static bool HasHeaders(List<byte> seen)
    {
        for (var at = 24; at + 9 <= seen.Count; at += 9 + ((seen[at] << 16) | (seen[at + 1] << 8) | seen[at + 2]))
        {
            if (seen[at + 3] == 1)
            {
                return true;
            }
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _serving;
        _stop.Dispose();
    }
}
