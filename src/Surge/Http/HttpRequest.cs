using System.Globalization;
using System.Text;

namespace Surge.Http;

/// <summary>HTTP/1.1 over our own sockets, or HTTP/2 through HttpClient.</summary>
public enum HttpProtocol
{
    Http11,
    Http2,
}

/// <summary>
/// A request ready to send many times. For HTTP/1.1 the whole message (request line, headers, body) is serialized
/// once into <see cref="Wire"/>, so sending it costs one write and no formatting.
/// </summary>
public sealed class HttpRequest
{
    public HttpRequest(string method, Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, string? body, TimeSpan timeout)
    {
        Method = new HttpMethod(method.ToUpperInvariant());
        Uri = uri;
        Headers = headers;
        Body = body is null ? null : Encoding.UTF8.GetBytes(body);
        Timeout = timeout;
        TimeoutTicks = Engine.MonotonicClock.FromTimeSpan(timeout);
        Endpoint = HttpEndpoint.Of(uri);
        Wire = Serialize();
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
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }
        if (!hasUserAgent)
        {
            head.Append("User-Agent: surge\r\n");
        }
        if (Body is not null || Method == HttpMethod.Post || Method == HttpMethod.Put || Method == HttpMethod.Patch)
        {
            head.Append(CultureInfo.InvariantCulture, $"Content-Length: {Body?.Length ?? 0}\r\n");
        }
        head.Append("\r\n");
        var headBytes = Encoding.UTF8.GetBytes(head.ToString());
        return Body is null ? headBytes : [.. headBytes, .. Body];
    }
}
