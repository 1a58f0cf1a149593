using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Surge.Plans;

namespace Surge.Http;

/// <summary>HTTP/1.1 over our own sockets, or HTTP/2 through HttpClient.</summary>
public enum HttpProtocol
{
    /// <summary>HTTP/1.1 on Surge's own connections, one request at a time per connection; the default. Tagged <c>proto:HTTP/1.1</c>.</summary>
    Http11,

    /// <summary>
    /// HTTP/2 (YAML's <c>httpVersion: "2"</c>): h2c with prior knowledge on http://, ALPN h2 on https://, requests
    /// multiplexed on one connection per VU and endpoint; never falls back to HTTP/1.1. Tagged <c>proto:HTTP/2.0</c>.
    /// </summary>
    Http2,
}

/// <summary>
/// A request ready to send many times. For HTTP/1.1 the whole message (request line, headers, body) is serialized
/// once into <see cref="Wire"/>, so sending it costs one write and no formatting. A request is checked when it is
/// built: no method, header name or value can carry a line break into the message, so none can inject a header or
/// smuggle a second request onto a kept-alive connection, whatever a capture, a data record or env() put into it.
/// </summary>
internal sealed class HttpRequest
{
    /// <exception cref="ArgumentException">The method or a header is malformed (see <see cref="TryCreate"/>).</exception>
    public HttpRequest(string method, Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, string? body, TimeSpan timeout)
        : this(uri, MalformedRequest.Find(method, "", headers) is { } problem ? throw new ArgumentException(problem.ToString(), nameof(headers)) : method,
            headers, body, timeout)
    {
    }

    // Checked already.
    private HttpRequest(Uri uri, string method, IReadOnlyList<KeyValuePair<string, string>> headers, string? body, TimeSpan timeout)
        : this(uri, method, headers, body is null ? null : Encoding.UTF8.GetBytes(body), timeout)
    {
    }

    private HttpRequest(Uri uri, string method, IReadOnlyList<KeyValuePair<string, string>> headers, byte[]? body, TimeSpan timeout)
    {
        Method = new HttpMethod(method.ToUpperInvariant());
        Uri = uri;
        Headers = headers;
        Body = body;
        Timeout = timeout;
        TimeoutTicks = Engine.MonotonicClock.FromTimeSpan(timeout);
        Endpoint = HttpEndpoint.Of(uri);
        Wire = Serialize();
    }

    /// <summary>
    /// Builds a request from text filled in at run time (templates, captures, data records, env(), C# code), or says
    /// why it cannot be sent: a line break or NUL in the method, the URL or a header, a header name that is not a
    /// token, a URL that does not resolve against <paramref name="options"/>' base address.
    /// </summary>
    public static bool TryCreate(string method, string url, HttpOptions options, IReadOnlyList<KeyValuePair<string, string>> headers,
        string? body, TimeSpan timeout, [NotNullWhen(true)] out HttpRequest? request, [NotNullWhen(false)] out MalformedRequest? problem)
    {
        request = null;
        problem = MalformedRequest.Find(method, url, headers);
        if (problem is not null)
        {
            return false;
        }
        try
        {
            request = new HttpRequest(options.Resolve(url), method, headers, body, timeout);
            return true;
        }
        catch (PlanException exception)
        {
            problem = new MalformedRequest(NetworkError.InvalidUrl, exception.Message);
            return false;
        }
    }

    public HttpMethod Method { get; }

    public Uri Uri { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public byte[]? Body { get; }

    public TimeSpan Timeout { get; }

    public long TimeoutTicks { get; }

    public HttpEndpoint Endpoint { get; }

    public bool IsHead => Method == HttpMethod.Head;

    /// <summary>The HTTP/1.1 message exactly as it goes on the wire; its length is the request's data_sent.</summary>
    public byte[] Wire { get; }

    /// <summary>The value of the request's own Cookie header (per-request cookies), or null.</summary>
    internal string? ExplicitCookies { get; private set; }

    /// <summary>
    /// Where jar cookies go into <see cref="Wire"/>: right after the value of the request's own Cookie header (as
    /// "; a=1"), or before the blank line that ends the head (as a whole "Cookie: a=1" line).
    /// </summary>
    internal int CookieInsertAt { get; private set; }

    /// <summary>The URL's path, what cookie paths match against; read once per request.</summary>
    internal string CookiePath => field ??= Uri.AbsolutePath;

    /// <summary>
    /// The request a redirect to <paramref name="target"/> sends next. 301, 302 and 303 turn into GET without a body
    /// (HEAD stays HEAD), as browsers, Go and k6 do; 307 and 308 repeat the method and body. Authorization and the
    /// request's own cookies do not follow to another host (the jar decides what that host gets).
    /// </summary>
    internal HttpRequest Redirected(Uri target, int status)
    {
        var toGet = status is 301 or 302 or 303 && !IsHead && Method != HttpMethod.Get;
        var otherHost = !string.Equals(target.IdnHost, Uri.IdnHost, StringComparison.OrdinalIgnoreCase);
        var headers = Headers.Where(h =>
            !(toGet && h.Key.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            && !(otherHost && (h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase) || h.Key.Equals("Cookie", StringComparison.OrdinalIgnoreCase))))
            .ToList();
        return new HttpRequest(target, toGet ? "GET" : Method.Method, headers, toGet ? null : Body, Timeout);
    }

    private byte[] Serialize()
    {
        var head = new StringBuilder();
        head.Append(CultureInfo.InvariantCulture, $"{Method.Method} {Uri.PathAndQuery} HTTP/1.1\r\nHost: {Uri.Authority}\r\n");
        var hasUserAgent = false;
        foreach (var (name, value) in Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue; // derived from the URL and the body, so they cannot contradict them
            }
            hasUserAgent |= name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase);
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}");
            if (ExplicitCookies is null && name.Equals("Cookie", StringComparison.OrdinalIgnoreCase))
            {
                ExplicitCookies = value;
                CookieInsertAt = Encoding.UTF8.GetByteCount(head.ToString());
            }
            head.Append("\r\n");
        }
        if (!hasUserAgent)
        {
            head.Append("User-Agent: surge\r\n");
        }
        if (Body is not null || Method == HttpMethod.Post || Method == HttpMethod.Put || Method == HttpMethod.Patch)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {Body?.Length ?? 0}\r\n");
        }
        var headBytes = Encoding.UTF8.GetBytes(head.Append("\r\n").ToString());
        if (ExplicitCookies is null)
        {
            CookieInsertAt = headBytes.Length - 2;
        }
        return Body is null ? headBytes : [.. headBytes, .. Body];
    }
}
