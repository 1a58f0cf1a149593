using System.Text;

namespace Surge.Http;

/// <summary>A request ready to send many times: method, URI, headers and body bytes are prepared once.</summary>
public sealed class HttpRequest
{
    public HttpRequest(string method, Uri uri, IReadOnlyList<KeyValuePair<string, string>> headers, string? body, TimeSpan timeout)
    {
        Method = new HttpMethod(method.ToUpperInvariant());
        Uri = uri;
        Headers = headers;
        Body = body is null ? null : Encoding.UTF8.GetBytes(body);
        Timeout = timeout;
        RequestHeadBytes = EstimateHeadBytes();
    }

    public HttpMethod Method { get; }

    public Uri Uri { get; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    public byte[]? Body { get; }

    public TimeSpan Timeout { get; }

    /// <summary>Bytes of the request line and headers as they go on the wire, for data_sent.</summary>
    public long RequestHeadBytes { get; }

    private long EstimateHeadBytes()
    {
        // "METHOD /path HTTP/1.1\r\nHost: host\r\n" + headers + "Content-Length: n\r\n" + "\r\n"
        long bytes = Method.Method.Length + 1 + Uri.PathAndQuery.Length + 11 + 8 + Uri.Authority.Length;
        foreach (var (name, value) in Headers)
        {
            bytes += name.Length + 2 + Encoding.UTF8.GetByteCount(value) + 2;
        }
        if (Body is not null)
        {
            bytes += 18 + Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        }
        return bytes + 2;
    }
}
