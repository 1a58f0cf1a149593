using System.Text;

namespace Surge.Http;

/// <summary>
/// `--http-debug[=full]`, as k6's: each request and its response printed whole (head lines; bodies too with
/// <see cref="Bodies"/>), one exchange at a time. Bodies are cut at <see cref="MaxBodyBytes"/> with a note. Only
/// VUs of a debugging run get the <see cref="Transport"/> wrapper, so a normal run pays nothing for it.
/// </summary>
public sealed class HttpDebug(TextWriter output, bool bodies)
{
    /// <summary>The most of a body printed with <see cref="Bodies"/>: 64 KiB; the rest is cut with a note.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private readonly Lock _writing = new();

    /// <summary>True for <c>--http-debug=full</c>: bodies are printed too, not only the heads.</summary>
    public bool Bodies { get; } = bodies;

    /// <summary>The VU's transport, printing each exchange after it ends (with the cookies <paramref name="session"/>'s jar added).</summary>
    /// <param name="inner">The transport that really sends.</param>
    /// <param name="session">The VU's session, whose cookies the printed request shows; null for none.</param>
    /// <param name="http2">Prints requests as HTTP/2 sends them: pseudo-headers and lower-case names, no request line.</param>
    internal IHttpTransport Transport(IHttpTransport inner, HttpSession? session = null, bool http2 = false) =>
        new DebuggingTransport(inner, this, session, http2);

    /// <summary>The head of <paramref name="request"/> as HTTP/2 header fields (before HPACK), as an HTTP/1.1-shaped wire for <see cref="Write"/>.</summary>
    internal static byte[] Http2Head(HttpRequest request, string? cookies)
    {
        var head = new StringBuilder()
            .Append(":method: ").Append(request.Method.Method).Append("\r\n")
            .Append(":scheme: ").Append(request.Uri.Scheme).Append("\r\n")
            .Append(":authority: ").Append(request.Uri.Authority).Append("\r\n")
            .Append(":path: ").Append(request.Uri.PathAndQuery).Append("\r\n");
        foreach (var (name, value) in request.Headers)
        {
            // Connection-specific fields have no place in HTTP/2 (RFC 9113 8.2.2); HttpClient drops them too.
            if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                head.Append(name.ToLowerInvariant()).Append(": ").Append(value).Append("\r\n");
            }
        }
        if (cookies is not null)
        {
            head.Append("cookie: ").Append(cookies).Append("\r\n");
        }
        return Encoding.Latin1.GetBytes(head.Append("\r\n").ToString());
    }

    internal void Write(HttpRequest request, ReadOnlySpan<byte> wire, in HttpTimings timings, HttpResponseBuffer? response)
    {
        var text = new StringBuilder();
        var headEnd = wire.IndexOf("\r\n\r\n"u8);
        var head = headEnd < 0 ? wire : wire[..headEnd];
        text.Append("Request:\n").Append(Encoding.Latin1.GetString(head).ReplaceLineEndings("\n")).Append('\n');
        if (Bodies && request.Body is { Length: > 0 } body)
        {
            text.Append('\n');
            AppendBody(text, body, body.Length);
        }
        if (timings.Error is { } error)
        {
            text.Append("Request failed: ").Append(error).Append('\n');
        }
        else if (response is not null)
        {
            var responseHead = response.HeadText;
            text.Append("Response:\n");
            if (!responseHead.StartsWith("HTTP/", StringComparison.Ordinal))
            {
                text.Append(":status: ").Append(response.Status).Append('\n'); // HTTP/2 has no status line
            }
            text.Append(responseHead);
            if (Bodies && response.Body.Length + response.DroppedBodyBytes > 0)
            {
                text.Append('\n');
                AppendBody(text, response.Body.Span, response.Body.Length + response.DroppedBodyBytes);
            }
        }
        lock (_writing)
        {
            output.Write(text.Append('\n').ToString());
            output.Flush();
        }
    }

    private static void AppendBody(StringBuilder text, ReadOnlySpan<byte> body, long total)
    {
        var shown = Math.Min(body.Length, MaxBodyBytes);
        text.Append(Encoding.UTF8.GetString(body[..shown])).Append('\n');
        if (total > shown)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"(body cut at {shown} of {total} bytes)\n");
        }
    }

    private sealed class DebuggingTransport(IHttpTransport inner, HttpDebug debug, HttpSession? session, bool http2) : IHttpTransport
    {
        // Used when no check needs the response: it keeps at most what is printed, so debugging never fails a response
        // that a normal run would take (no response_too_large) and measures the same bytes.
        private readonly HttpResponseBuffer _own = HttpResponseBuffer.Truncating(debug.Bodies ? MaxBodyBytes : 0);

        public async ValueTask<HttpTimings> SendAsync(HttpRequest request, HttpResponseBuffer? keep, CancellationToken cancellationToken)
        {
            var response = keep ?? _own;
            response.Clear();
            // Taken before sending: the response may change the jar.
            var wire = http2 ? Http2Head(request, session?.CookieHeaderFor(request))
                : session is null ? request.Wire : session.WireFor(request).ToArray();
            var timings = await inner.SendAsync(request, response, cancellationToken).ConfigureAwait(false);
            debug.Write(request, wire, timings, response);
            return timings;
        }

        public void Dispose() => inner.Dispose();
    }
}
