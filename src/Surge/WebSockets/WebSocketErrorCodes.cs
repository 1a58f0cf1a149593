using System.Net.WebSockets;
using Surge.Http;

namespace Surge.WebSockets;

/// <summary>
/// Names every way a WebSocket session can fail. The name is the `error_code` tag of the session's ws_sessions,
/// ws_session_duration and ws_session_failed samples; a failure to connect also uses <see cref="NetworkError"/>'s
/// names (connection_refused, dns, tls, timeout, ...). None of them stops the run or the iteration.
/// </summary>
internal static class WebSocketErrorCodes
{
    /// <summary>The server answered the upgrade with another status than 101; the `status` tag holds it.</summary>
    public const string HandshakeRejected = "handshake_rejected";

    /// <summary>The connection ended after part of a message and before its last frame.</summary>
    public const string ClosedMidMessage = "closed_mid_message";

    /// <summary>The connection ended without a close handshake (WebSocket status 1006), between messages.</summary>
    public const string ClosedAbnormally = "closed_abnormally";

    /// <summary>The server closed the session cleanly while a receive or a ping was still waiting.</summary>
    public const string ClosedByServer = "closed_by_server";

    /// <summary>No message matched before the receive's timeout.</summary>
    public const string ReceiveTimeout = "receive_timeout";

    /// <summary>No pong came back before the ping's timeout.</summary>
    public const string PingTimeout = "ping_timeout";

    /// <summary>A message could not be written before the timeout (the server stopped reading).</summary>
    public const string SendTimeout = "send_timeout";

    /// <summary>A message was longer than the step's maxMessageSize.</summary>
    public const string MessageTooLarge = "message_too_large";

    /// <summary>The server broke the protocol: a bad frame, a reserved opcode, invalid UTF-8 in a text message.</summary>
    public const string ProtocolError = NetworkError.ProtocolError;

    /// <summary>Every code a session can end with, its own and the connection's.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        HandshakeRejected, ClosedMidMessage, ClosedAbnormally, ClosedByServer, ReceiveTimeout, PingTimeout, SendTimeout,
        MessageTooLarge, .. NetworkError.All,
    ];

    /// <summary>What went wrong on an open socket, from what the socket threw and whether a message was half read.</summary>
    internal static string Classify(Exception exception, bool midMessage)
    {
        if (exception is WebSocketException socket)
        {
            return socket.WebSocketErrorCode switch
            {
                System.Net.WebSockets.WebSocketError.ConnectionClosedPrematurely => midMessage ? ClosedMidMessage : ClosedAbnormally,
                System.Net.WebSockets.WebSocketError.InvalidState => ClosedAbnormally,
                System.Net.WebSockets.WebSocketError.Faulted or System.Net.WebSockets.WebSocketError.HeaderError or System.Net.WebSockets.WebSocketError.InvalidMessageType
                    or System.Net.WebSockets.WebSocketError.UnsupportedProtocol or System.Net.WebSockets.WebSocketError.UnsupportedVersion => ProtocolError,
                _ => socket.InnerException is { } inner ? Classify(inner, midMessage) : ProtocolError,
            };
        }
        var code = NetworkError.Classify(exception);
        return code is NetworkError.ResponseEnded or NetworkError.ConnectionReset
            ? midMessage ? ClosedMidMessage : ClosedAbnormally
            : code;
    }
}
