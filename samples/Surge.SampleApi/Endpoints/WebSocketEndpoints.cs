using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Surge.SampleApi.Hosting;

namespace Surge.SampleApi.Endpoints;

/// <summary>
/// WebSocket routes: /ws/echo sends every text and binary message back, /ws/chat broadcasts every message to everyone
/// in the room (?room=name, "lobby" by default) sender included, and /ws/chaos misbehaves on purpose for tests
/// (?mode=reject|close-mid-message|silent|close|bad-frame). Every whole message read or written is counted in
/// <see cref="WebSocketStats"/>. A client offering subprotocols gets the first one back.
/// </summary>
internal static class WebSocketEndpoints
{
    private const int MaxMessageBytes = 1024 * 1024;

    public static void MapWebSocketEndpoints(this WebApplication app)
    {
        app.UseWebSockets();
        var rooms = new ConcurrentDictionary<string, ChatRoom>(StringComparer.Ordinal);
        app.Map("/ws/echo", (HttpContext context, WebSocketStats stats) => RunAsync(context, stats, EchoAsync));
        app.Map("/ws/chat", (HttpContext context, WebSocketStats stats, string? room) =>
            RunAsync(context, stats, (socket, stats, token) =>
                rooms.GetOrAdd(room ?? "lobby", static _ => new ChatRoom()).JoinAsync(socket, stats, token)));
        app.Map("/ws/chaos", ChaosAsync);
    }

    private static async Task RunAsync(HttpContext context, WebSocketStats stats, Func<WebSocket, WebSocketStats, CancellationToken, Task> session)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }
        using var socket = await Accept(context, stats);
        try
        {
            await session(socket, stats, context.RequestAborted);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client went away mid-session: nothing to answer, and nothing it sent whole goes uncounted.
        }
    }

    private static async Task<WebSocket> Accept(HttpContext context, WebSocketStats stats)
    {
        var offered = context.WebSockets.WebSocketRequestedProtocols;
        var socket = await context.WebSockets.AcceptWebSocketAsync(offered.Count > 0 ? offered[0] : null);
        stats.SessionOpened();
        return socket;
    }

    private static async Task EchoAsync(WebSocket socket, WebSocketStats stats, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes);
        try
        {
            while (await ReadMessageAsync(socket, buffer, cancellationToken) is { } message)
            {
                stats.Received();
                await socket.SendAsync(buffer.AsMemory(0, message.Length), message.Type, endOfMessage: true, cancellationToken);
                stats.Sent();
            }
            await CloseAsync(socket, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>One whole message into the buffer, or null when the client closed (or sent more than the buffer holds).</summary>
    private static async Task<(int Length, WebSocketMessageType Type)?> ReadMessageAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, null, cancellationToken);
                return null;
            }
            var frame = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
            if (frame.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            length += frame.Count;
            if (frame.EndOfMessage)
            {
                return (length, frame.MessageType);
            }
        }
    }

    private static Task CloseAsync(WebSocket socket, CancellationToken cancellationToken) =>
        socket.State == WebSocketState.CloseReceived
            ? socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cancellationToken)
            : Task.CompletedTask;

    /// <summary>
    /// A chat room: each member has a queue and a writer, so that a slow member never blocks the others and no two
    /// broadcasts write to one socket at once.
    /// </summary>
    private sealed class ChatRoom
    {
        private readonly ConcurrentDictionary<Channel<(byte[] Bytes, WebSocketMessageType Type)>, byte> _members = new();

        public async Task JoinAsync(WebSocket socket, WebSocketStats stats, CancellationToken cancellationToken)
        {
            var outbox = Channel.CreateUnbounded<(byte[] Bytes, WebSocketMessageType Type)>(new UnboundedChannelOptions { SingleReader = true });
            _members[outbox] = 0;
            var writer = WriteAsync(socket, outbox.Reader, stats, cancellationToken);
            var buffer = ArrayPool<byte>.Shared.Rent(MaxMessageBytes);
            try
            {
                while (await ReadMessageAsync(socket, buffer, cancellationToken) is { } message)
                {
                    stats.Received();
                    var copy = buffer.AsSpan(0, message.Length).ToArray();
                    foreach (var member in _members.Keys)
                    {
                        member.Writer.TryWrite((copy, message.Type));
                    }
                }
            }
            finally
            {
                _members.TryRemove(outbox, out _);
                outbox.Writer.TryComplete();
                ArrayPool<byte>.Shared.Return(buffer);
                await writer;
            }
            await CloseAsync(socket, cancellationToken);
        }

        private static async Task WriteAsync(WebSocket socket, ChannelReader<(byte[] Bytes, WebSocketMessageType Type)> outbox, WebSocketStats stats, CancellationToken cancellationToken)
        {
            try
            {
                await foreach (var (bytes, type) in outbox.ReadAllAsync(cancellationToken))
                {
                    if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
                    {
                        return;
                    }
                    await socket.SendAsync(bytes, type, endOfMessage: true, cancellationToken);
                    stats.Sent();
                }
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
            {
                // The member left while messages were queued for it; they were not sent, and are not counted.
            }
        }
    }

    // The misbehaving server a load generator must survive, each mode a named failure on the client's side.
    private static async Task ChaosAsync(HttpContext context, WebSocketStats stats, string? mode)
    {
        switch (mode)
        {
            case "reject":
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            case "bad-frame":
                await BadFrameAsync(context, stats);
                return;
            case "close-mid-message" or "silent" or "close" when context.WebSockets.IsWebSocketRequest:
                break;
            default:
                context.Response.StatusCode = context.WebSockets.IsWebSocketRequest ? StatusCodes.Status400BadRequest : StatusCodes.Status426UpgradeRequired;
                return;
        }
        using var socket = await Accept(context, stats);
        var cancellationToken = context.RequestAborted;
        try
        {
            var buffer = new byte[64 * 1024];
            if (mode == "close")
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "closing at once", cancellationToken);
                await socket.ReceiveAsync(buffer, cancellationToken); // the client's close, ending the handshake
                return;
            }
            // Both the other modes read what the client sends (counted) and never answer it.
            if (await ReadMessageAsync(socket, buffer, cancellationToken) is null)
            {
                return;
            }
            stats.Received();
            if (mode == "close-mid-message")
            {
                await socket.SendAsync("the first half of a message that never ends"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: false, cancellationToken);
                await Task.Delay(50, cancellationToken); // let the fragment leave before the connection does
                context.Abort();
                return;
            }
            while (await ReadMessageAsync(socket, buffer, cancellationToken) is not null)
            {
                stats.Received();
            }
            await CloseAsync(socket, cancellationToken);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // The client gave up on a server built to be given up on.
        }
    }

    // Upgrades by hand and writes a frame with a reserved opcode (3), which no WebSocket implementation may accept.
    private static async Task BadFrameAsync(HttpContext context, WebSocketStats stats)
    {
        var upgrade = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpUpgradeFeature>();
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
        {
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            return;
        }
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
#pragma warning disable CA5350 // RFC 6455 defines the handshake's accept value as a SHA-1; it is no security measure
        context.Response.Headers["Sec-WebSocket-Accept"] = Convert.ToBase64String(
            SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
        await using var stream = await upgrade.UpgradeAsync();
        stats.SessionOpened();
        await stream.WriteAsync(new byte[] { 0x83, 0x00 }, context.RequestAborted);
        await stream.FlushAsync(context.RequestAborted);
        await Task.Delay(200, context.RequestAborted);
    }
}
