using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Surge.Tests.Http;

/// <summary>
/// A raw TCP server on a free loopback port that plays a script on every connection it accepts: read a request, then
/// write exactly the chosen bytes in the chosen pieces, pause, or close. It counts accepts and keeps every request's
/// bytes as received: the ground truth for what went over the wire.
/// </summary>
internal sealed class ScriptedServer : IAsyncDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<ScriptedConnection, Task> _script;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<byte[]> _requests = new();
    private readonly ConcurrentBag<Task> _connections = [];
    private readonly Task _accepting;
    private int _accepts;

    private ScriptedServer(Func<ScriptedConnection, Task> script)
    {
        _script = script;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public static ScriptedServer Start(Func<ScriptedConnection, Task> script) => new(script);

    /// <summary>Connections accepted so far.</summary>
    public int Accepts => Volatile.Read(ref _accepts);

    /// <summary>Every request read, in order, exactly as its bytes arrived.</summary>
    public IReadOnlyList<byte[]> Requests => [.. _requests];

    public Uri Url(string pathAndQuery = "/") =>
        new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}{pathAndQuery}"));

    public static byte[] Ok(string body, string extraHeaders = "") =>
        Encoding.Latin1.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\n{extraHeaders}\r\n{body}"));

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                socket.NoDelay = true;
                var index = Interlocked.Increment(ref _accepts) - 1;
                _connections.Add(RunAsync(new ScriptedConnection(index, socket, _requests, _stop.Token)));
            }
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // stopping: the pending accept was cancelled, or the listener stopped before the next one began
        }
    }

    private async Task RunAsync(ScriptedConnection connection)
    {
        using (connection)
        {
            try
            {
                await _script(connection);
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or SocketException)
            {
                // the client went away or the test is over: the script simply ends
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting.WaitAsync(Bound);
        await Task.WhenAll(_connections).WaitAsync(Bound);
        _stop.Dispose();
    }
}

/// <summary>One accepted connection as a script sees it.</summary>
internal sealed class ScriptedConnection(int index, Socket socket, ConcurrentQueue<byte[]> requests, CancellationToken stopping) : IDisposable
{
    private readonly List<byte> _received = [];

    /// <summary>0 for the first connection the server accepted, 1 for the second, ...</summary>
    public int Index { get; } = index;

    /// <summary>Cancelled when the test disposes the server, so a script that "never answers" still ends.</summary>
    public CancellationToken Stopping { get; } = stopping;

    /// <summary>Reads one request (head and Content-Length body); null when the client closed the connection first.</summary>
    public async Task<byte[]?> ReadRequestAsync()
    {
        var buffer = new byte[4096];
        while (true)
        {
            if (RequestLength() is { } length)
            {
                var request = _received.GetRange(0, length).ToArray();
                _received.RemoveRange(0, length);
                requests.Enqueue(request);
                return request;
            }
            var read = await socket.ReceiveAsync(buffer, Stopping);
            if (read == 0)
            {
                return null;
            }
            _received.AddRange(buffer.AsSpan(0, read));
        }
    }

    private int? RequestLength()
    {
        var text = Encoding.Latin1.GetString([.. _received]);
        var endOfHead = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (endOfHead < 0)
        {
            return null;
        }
        var bodyLength = text[..endOfHead].Split("\r\n")
            .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(line => int.Parse(line["Content-Length:".Length..], CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var length = endOfHead + 4 + bodyLength;
        return _received.Count >= length ? length : null;
    }

    public async Task WriteAsync(byte[] bytes) => await socket.SendAsync(bytes, Stopping);

    /// <summary>Writes each piece in its own send, pausing between them so they arrive as separate reads.</summary>
    public async Task WriteInPiecesAsync(byte[] bytes, int pieceLength)
    {
        for (var at = 0; at < bytes.Length; at += pieceLength)
        {
            await socket.SendAsync(bytes.AsMemory(at, Math.Min(pieceLength, bytes.Length - at)), Stopping);
            await Task.Delay(1, Stopping);
        }
    }

    /// <summary>Writes the bytes in pieces of the given lengths, back to back, repeating the lengths as needed.</summary>
    public async Task WriteInPiecesAsync(byte[] bytes, IReadOnlyList<int> pieceLengths)
    {
        for (int at = 0, i = 0; at < bytes.Length; i++)
        {
            var length = Math.Min(pieceLengths[i % pieceLengths.Count], bytes.Length - at);
            await socket.SendAsync(bytes.AsMemory(at, length), Stopping);
            at += length;
        }
    }

    /// <summary>Closes with a TCP reset instead of an orderly shutdown.</summary>
    public void Reset()
    {
        socket.LingerState = new LingerOption(enable: true, seconds: 0);
        socket.Dispose();
    }

    /// <summary>Keeps the connection open, silent, until the test ends.</summary>
    public Task HangAsync() => Task.Delay(Timeout.Infinite, Stopping);

    public void Dispose() => socket.Dispose();
}
