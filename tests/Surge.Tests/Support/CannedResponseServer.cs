using System.Net;
using System.Net.Sockets;

namespace Surge.Tests.Support;

/// <summary>
/// A raw-socket HTTP/1.1 server on a free loopback port that answers every request head (a request without a body,
/// ended by an empty line) with the same canned keep-alive response. One thread accepts; each connection gets its own
/// thread running a blocking receive/send loop over fixed buffers, so the server allocates nothing per request and
/// cannot blur allocation measurements of the client. The benchmarks link this file too.
/// </summary>
public sealed class CannedResponseServer : IDisposable
{
    public static readonly byte[] Response = "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nhello world\n"u8.ToArray();

    private readonly byte[] _response;
    private readonly Socket _listener;
    private readonly List<Socket> _connections = [];
    private readonly Lock _connectionsLock = new();
    private long _requests;

    /// <param name="response">The whole response sent to every request; <see cref="Response"/> unless given.</param>
    public CannedResponseServer(byte[]? response = null)
    {
        _response = response ?? Response;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(16);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        new Thread(AcceptLoop) { IsBackground = true, Name = "canned-accept" }.Start();
    }

    public int Port { get; }

    /// <summary>Request heads answered so far: the ground truth for request counts.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    public string Url(string path) => $"http://127.0.0.1:{Port}/{path.TrimStart('/')}";

    private void AcceptLoop()
    {
        while (true)
        {
            Socket connection;
            try
            {
                connection = _listener.Accept();
            }
            catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
            {
                return; // disposed
            }
            connection.NoDelay = true;
            lock (_connectionsLock)
            {
                _connections.Add(connection);
            }
            new Thread(() => Serve(connection)) { IsBackground = true, Name = "canned-connection" }.Start();
        }
    }

    // Counts "\r\n\r\n" across receive boundaries: `matched` is how much of the terminator the bytes so far end with.
    private void Serve(Socket connection)
    {
        var buffer = new byte[16 * 1024];
        var matched = 0;
        try
        {
            while (true)
            {
                var read = connection.Receive(buffer);
                if (read == 0)
                {
                    return;
                }
                foreach (var b in buffer.AsSpan(0, read))
                {
                    matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : b == '\r' ? 1 : 0;
                    if (matched == 4)
                    {
                        matched = 0;
                        Interlocked.Increment(ref _requests);
                        connection.Send(_response);
                    }
                }
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // The client went away or the server is being disposed.
        }
        finally
        {
            connection.Dispose();
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        lock (_connectionsLock)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }
    }
}
