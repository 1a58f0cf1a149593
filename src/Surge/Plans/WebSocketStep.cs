namespace Surge.Plans;

/// <summary>
/// A WebSocket session: connect to <see cref="Url"/> (ws:// or wss://, may hold `{{ }}` templates), run the actions
/// in order, and close. The session ends at a `close` action, when the actions run out, or at its first failure,
/// which is recorded under a named error code (see <c>WebSocketErrorCodes</c>) and does not stop the iteration.
/// </summary>
public sealed record WebSocketStep : Step
{
    /// <summary>
    /// A ws:// or wss:// URL, or a path starting with `/` resolved against the test's base URL (http becomes ws, https
    /// wss); may hold `{{ }}` templates. Also the `url` tag.
    /// </summary>
    public required string Url { get; init; }

    /// <summary>The `name` tag; the URL when not given.</summary>
    public string? Name { get; init; }

    /// <summary>Headers of the upgrade request; values may hold `{{ }}` templates.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Subprotocols offered in Sec-WebSocket-Protocol, in order of preference.</summary>
    public IReadOnlyList<string> Subprotocols { get; init; } = [];

    /// <summary>How long the TCP connect, TLS and upgrade may take together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = DefaultTimeout;

    /// <summary>
    /// How long a receive or a ping waits when the action does not say; it also bounds each send and the close
    /// handshake. <see cref="DefaultTimeout"/> (10s) by default.
    /// </summary>
    public TimeSpan ReceiveTimeout { get; init; } = DefaultTimeout;

    /// <summary>The largest message kept whole; a longer one ends the session with `message_too_large`.</summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>What the session does once connected, in order; after the last one it closes with status 1000.</summary>
    public IReadOnlyList<WebSocketAction> Actions { get; init; } = [];

    /// <summary>Tags on this session's samples, on top of the scenario's, flow's and group's.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The default of <see cref="ConnectTimeout"/> and <see cref="ReceiveTimeout"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The default of <see cref="MaxMessageBytes"/>: 16 MiB.</summary>
    public const int DefaultMaxMessageBytes = 16 * 1024 * 1024;
}

/// <summary>One thing a WebSocket session does.</summary>
public abstract record WebSocketAction
{
    /// <summary>Where the action was written, for errors about it; null when unknown.</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>Sends one message: <see cref="Text"/> (a `{{ }}` template) as a text frame, or <see cref="Binary"/> as is.</summary>
public sealed record WebSocketSend : WebSocketAction
{
    /// <summary>The text message, a `{{ }}` template sent as UTF-8; ignored when <see cref="Binary"/> is set.</summary>
    public string? Text { get; init; }

    /// <summary>The bytes of a binary message, sent unchanged; null sends <see cref="Text"/> instead.</summary>
    public byte[]? Binary { get; init; }
}

/// <summary>What a received message must hold for a receive to stop at it.</summary>
public enum WebSocketMatchKind
{
    /// <summary>The next message, whatever it holds.</summary>
    Any,

    /// <summary>The message contains <see cref="WebSocketMatch.Text"/>.</summary>
    Contains,

    /// <summary>The message is exactly <see cref="WebSocketMatch.Text"/>.</summary>
    Equals,

    /// <summary>The message matches the regular expression <see cref="WebSocketMatch.Text"/>.</summary>
    Regex,

    /// <summary>The message is JSON with a value at the path <see cref="WebSocketMatch.Path"/>, equal to <see cref="WebSocketMatch.Text"/> when given.</summary>
    JsonPath,
}

/// <summary>A matcher: its text may hold `{{ }}` templates (except a regex's).</summary>
/// <param name="Kind">How a message is compared.</param>
/// <param name="Text">The text, regular expression or JSON value compared with; null for <see cref="WebSocketMatchKind.Any"/>, and optional for JsonPath.</param>
/// <param name="Path">The JSON path for <see cref="WebSocketMatchKind.JsonPath"/>; null otherwise.</param>
public sealed record WebSocketMatch(WebSocketMatchKind Kind, string? Text = null, string? Path = null)
{
    /// <summary>Stops at the next message, whatever it holds.</summary>
    public static readonly WebSocketMatch Any = new(WebSocketMatchKind.Any);
}

/// <summary>
/// Reads messages until one matches, or fails the session with `receive_timeout` once <see cref="Timeout"/> passes.
/// Messages before the match are counted in ws_msgs_received and dropped; checks and captures read the match.
/// </summary>
public sealed record WebSocketReceive(WebSocketMatch Match) : WebSocketAction
{
    /// <summary>Null takes the step's <see cref="WebSocketStep.ReceiveTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Checks on the matched message; `duration` is the time waited for it.</summary>
    public IReadOnlyList<CheckPlan> Checks { get; init; } = [];

    /// <summary>Values taken from the matched message into VU variables.</summary>
    public IReadOnlyList<CapturePlan> Captures { get; init; } = [];
}

/// <summary>Sends a ping frame and waits for its pong: the round trip is a ws_ping sample; no pong in time is `ping_timeout`.</summary>
public sealed record WebSocketPing : WebSocketAction
{
    /// <summary>How long to wait for the pong; null takes the step's <see cref="WebSocketStep.ReceiveTimeout"/>.</summary>
    public TimeSpan? Timeout { get; init; }
}

/// <summary>Waits with the socket open; messages that arrive meanwhile wait for the next receive.</summary>
public sealed record WebSocketSleep(TimeSpan Duration) : WebSocketAction;

/// <summary>Closes the session with a close handshake (status 1000 unless given).</summary>
public sealed record WebSocketClose : WebSocketAction
{
    /// <summary>The close status code sent (RFC 6455): 1000, normal closure, by default.</summary>
    public int Status { get; init; } = 1000;
}
