using System.Net.Http;
using System.Net.Sockets;
using System.Security.Authentication;

namespace Surge.Http;

/// <summary>
/// Names every way a request can fail without a status code. The name becomes the `error_code` tag, so users see
/// "connection_refused: 120" instead of a stack trace, and the run goes on.
/// </summary>
internal static class NetworkError
{
    public const string Timeout = "timeout";
    public const string ConnectionRefused = "connection_refused";
    public const string ConnectionReset = "connection_reset";
    public const string Dns = "dns";
    public const string Tls = "tls";
    public const string Unreachable = "unreachable";
    public const string ResponseEnded = "response_ended";
    public const string InvalidResponse = "invalid_response";
    public const string ProtocolError = "protocol_error";
    public const string ResponseTooLarge = "response_too_large";
    public const string ConnectionError = "connection_error";

    /// <summary>An HTTP/2 server reset the request's stream (RST_STREAM); the connection lives on.</summary>
    public const string StreamReset = "stream_reset";

    /// <summary>An HTTP/2 server ended the connection with an error (GOAWAY) while the request was on it.</summary>
    public const string GoAway = "goaway";
    public const string Unknown = "unknown";

    /// <summary>The run ended (gracefulStop expired, a hard stop) while the request was in flight; its time so far is kept.</summary>
    public const string Interrupted = "interrupted";

    // Refused before sending: text filled in at run time would have changed the message's framing (header injection).
    public const string InvalidMethod = "invalid_method";
    public const string InvalidUrl = "invalid_url";
    public const string InvalidHeader = "invalid_header";

    /// <summary>A redirect came back after maxRedirects were followed (a loop, usually).</summary>
    public const string TooManyRedirects = "too_many_redirects";

    /// <summary>A redirect (301, 302, 303, 307, 308) without a Location, or with one that is not an http(s) URL.</summary>
    public const string InvalidRedirect = "invalid_redirect";

    public static readonly IReadOnlyList<string> All =
    [
        Timeout, ConnectionRefused, ConnectionReset, Dns, Tls, Unreachable, ResponseEnded, InvalidResponse,
        ProtocolError, ResponseTooLarge, ConnectionError, StreamReset, GoAway, Interrupted, InvalidMethod, InvalidUrl, InvalidHeader,
        TooManyRedirects, InvalidRedirect, Unknown,
    ];

    public static string Classify(Exception exception)
    {
        if (exception is OperationCanceledException or TimeoutException)
        {
            return Timeout;
        }
        if (exception is AuthenticationException)
        {
            return Tls; // SslStream's own handshake failure on the HTTP/1.1 path; HttpClient wraps it as SecureConnectionError
        }
        if (FindSocketError(exception) is { } socketError)
        {
            return FromSocketError(socketError);
        }
        if (FindHttp2Error(exception) is { } http2)
        {
            return http2;
        }
        if (exception is HttpRequestException http)
        {
            return http.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => Dns,
                HttpRequestError.SecureConnectionError => Tls,
                HttpRequestError.ResponseEnded => ResponseEnded,
                HttpRequestError.InvalidResponse => InvalidResponse,
                HttpRequestError.HttpProtocolError => ProtocolError,
                HttpRequestError.ConfigurationLimitExceeded => ResponseTooLarge,
                HttpRequestError.ConnectionError => ConnectionError,
                _ => http.InnerException is { } inner ? Classify(inner) : Unknown,
            };
        }
        if (exception is HttpIOException io)
        {
            return io.HttpRequestError == HttpRequestError.ResponseEnded ? ResponseEnded : InvalidResponse;
        }
        if (exception is IOException { InnerException: { } ioInner })
        {
            return Classify(ioInner);
        }
        return exception is IOException ? ResponseEnded : Unknown;
    }

    public static string FromSocketError(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => ConnectionRefused,
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => ConnectionReset,
        SocketError.TimedOut => Timeout,
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => Dns,
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown => Unreachable,
        _ => ConnectionError,
    };

    // An HTTP/2 RST_STREAM and a GOAWAY with an error both surface as HttpProtocolException carrying the peer's error
    // code; only the message tells which frame it was (.NET's runtime libraries ship no translations on Linux).
    private static string? FindHttp2Error(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is HttpProtocolException protocol)
            {
                return protocol.Message.Contains("reset the stream", StringComparison.Ordinal) ? StreamReset
                    : protocol.Message.Contains("closed the connection", StringComparison.Ordinal) ? GoAway
                    : ProtocolError;
            }
        }
        return null;
    }

    private static SocketError? FindSocketError(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }
        return null;
    }
}
