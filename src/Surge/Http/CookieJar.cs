using System.Globalization;
using System.Net;
using System.Text;
using Surge.Engine;

namespace Surge.Http;

/// <summary>
/// A VU's cookies, as k6's per-VU jar: filled from Set-Cookie with RFC 6265's rules (host-only and domain cookies,
/// path matching, Max-Age over Expires, a past expiry deletes, Secure only over https and only set over https), sent
/// back as one Cookie header. Bounded against hostile servers: a cookie over <see cref="MaxCookieBytes"/> or with a
/// control character is ignored, and past <see cref="MaxCookiesPerDomain"/> or <see cref="MaxCookies"/> the oldest
/// goes. Kept sorted as RFC 6265 sends them (longer paths first, then older first), so sending needs no sort. Expiry
/// runs on the monotonic clock, converted once when a cookie arrives. One VU uses it at a time; it takes no lock.
/// </summary>
public sealed class CookieJar
{
    /// <summary>The longest Set-Cookie header value taken, attributes included, in characters (RFC 6265's per-cookie minimum); a longer one is ignored.</summary>
    public const int MaxCookieBytes = 4096;

    /// <summary>Cookies kept per domain (RFC 6265's minimum); a new one evicts expired ones first, then the domain's oldest.</summary>
    public const int MaxCookiesPerDomain = 50;

    /// <summary>Cookies kept in all (RFC 6265's minimum); a new one past this evicts the oldest.</summary>
    public const int MaxCookies = 300;

    // RFC 6265bis caps a cookie's lifetime at 400 days.
    private const long MaxLifetimeSeconds = 400L * 24 * 3600;

    private static readonly string[] ExpiresFormats =
    [
        "r", "ddd, dd-MMM-yyyy HH:mm:ss 'GMT'", "ddd, dd-MMM-yy HH:mm:ss 'GMT'", "dddd, dd-MMM-yy HH:mm:ss 'GMT'",
        "ddd MMM d HH:mm:ss yyyy", "ddd, d MMM yyyy HH:mm:ss 'GMT'",
    ];

    private readonly List<Cookie> _cookies = [];
    private long _created;

    /// <summary>Cookies held now, expired ones not yet swept included.</summary>
    public int Count => _cookies.Count;

    /// <summary>Forgets every cookie (k6 does this at the start of each iteration).</summary>
    public void Clear() => _cookies.Clear();

    /// <summary>Sets a cookie for <paramref name="url"/>'s host (host-only) and path "/", as k6's jar.set(url, name, value).</summary>
    /// <exception cref="ArgumentException">The name is empty or not a token, or the value holds a control character or ';'.</exception>
    public void Set(Uri url, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!MalformedRequest.IsToken(name) || !IsCookieText(value) || value.Contains(';', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid cookie name, or its value holds a control character or ';'", nameof(name));
        }
        Receive(url.IdnHost, "/", secureChannel: false, $"{name}={value}; Path=/");
    }

    /// <summary>The name and value of each cookie a request to <paramref name="url"/> would carry, in the order it would send them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> CookiesFor(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var now = MonotonicClock.Now;
        return [.. _cookies.Where(c => Matches(c, url.IdnHost, url.AbsolutePath, url.Scheme == Uri.UriSchemeHttps, now)).Select(c => new KeyValuePair<string, string>(c.Name, c.Value))];
    }

    /// <summary>Takes one Set-Cookie header value received from <paramref name="url"/>; one the rules refuse is ignored, as browsers do.</summary>
    internal void Receive(Uri url, string setCookie)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(setCookie);
        Receive(url.IdnHost, url.AbsolutePath, url.Scheme == Uri.UriSchemeHttps, setCookie);
    }

    /// <summary>
    /// RFC 6265 5.2 and 5.3 over the header's characters. A cookie that is already in the jar is updated in place, so a
    /// server that sets the same session cookie on every response costs no allocation for it.
    /// </summary>
    internal void Receive(string host, string requestPath, bool secureChannel, ReadOnlySpan<char> setCookie)
    {
        if (setCookie.Length > MaxCookieBytes)
        {
            return;
        }
        var end = setCookie.IndexOf(';');
        var pair = end < 0 ? setCookie : setCookie[..end];
        var equals = pair.IndexOf('=');
        if (equals <= 0)
        {
            return; // RFC 6265 5.2: no '=' means no cookie; an empty name is refused too
        }
        var name = pair[..equals].Trim(" \t");
        var value = pair[(equals + 1)..].Trim(" \t"); // quotes, if any, are part of the value (RFC 6265)
        if (name.IsEmpty || !IsCookieText(name) || !IsCookieText(value))
        {
            return;
        }
        ReadOnlySpan<char> domain = default;
        ReadOnlySpan<char> path = default;
        var secure = false;
        long? maxAge = null;
        DateTimeOffset? expires = null;
        for (var rest = end < 0 ? [] : setCookie[(end + 1)..]; !rest.IsEmpty;)
        {
            var next = rest.IndexOf(';');
            var attribute = next < 0 ? rest : rest[..next];
            rest = next < 0 ? [] : rest[(next + 1)..];
            var separator = attribute.IndexOf('=');
            var key = (separator < 0 ? attribute : attribute[..separator]).Trim(" \t");
            var argument = separator < 0 ? [] : attribute[(separator + 1)..].Trim(" \t");
            if (key.Equals("expires", StringComparison.OrdinalIgnoreCase))
            {
                expires = ParseExpires(argument) ?? expires;
            }
            else if (key.Equals("max-age", StringComparison.OrdinalIgnoreCase))
            {
                if (!argument.IsEmpty && (char.IsAsciiDigit(argument[0]) || argument[0] == '-')
                    && long.TryParse(argument, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
                {
                    maxAge = seconds;
                }
            }
            else if (key.Equals("domain", StringComparison.OrdinalIgnoreCase))
            {
                var trimmed = argument.TrimStart('.');
                domain = trimmed.IsEmpty ? domain : trimmed;
            }
            else if (key.Equals("path", StringComparison.OrdinalIgnoreCase))
            {
                path = argument.StartsWith('/') ? argument : default;
            }
            else if (key.Equals("secure", StringComparison.OrdinalIgnoreCase))
            {
                secure = true;
            }
        }
        if (secure && !secureChannel)
        {
            return; // RFC 6265bis: only a secure origin may set a Secure cookie
        }
        var hostOnly = domain.IsEmpty;
        if (!hostOnly && !DomainMatches(host, domain))
        {
            return; // a server may not set cookies for another site (or a bare top-level domain)
        }
        var now = MonotonicClock.Now;
        long expiresAt = 0;
        if (maxAge is { } age)
        {
            expiresAt = age <= 0 ? -1 : now + MonotonicClock.FromTimeSpan(TimeSpan.FromSeconds(Math.Min(age, MaxLifetimeSeconds)));
        }
        else if (expires is { } date)
        {
            var left = date - DateTimeOffset.UtcNow;
            expiresAt = left <= TimeSpan.Zero ? -1 : now + MonotonicClock.FromTimeSpan(TimeSpan.FromSeconds(Math.Min(left.TotalSeconds, MaxLifetimeSeconds)));
        }
        if (hostOnly)
        {
            domain = host;
        }
        if (path.IsEmpty)
        {
            path = DefaultPath(requestPath);
        }
        var existing = IndexOf(name, domain, path);
        if (expiresAt < 0)
        {
            if (existing >= 0)
            {
                _cookies.RemoveAt(existing); // an expiry in the past is how a server deletes a cookie
            }
            return;
        }
        if (existing >= 0)
        {
            // Same name, domain and path: the new value and attributes, the old creation order (RFC 6265 5.3 step 11).
            var cookie = _cookies[existing];
            if (!value.SequenceEqual(cookie.Value))
            {
                cookie.Value = value.ToString();
            }
            cookie.HostOnly = hostOnly;
            cookie.Secure = secure;
            cookie.ExpiresAt = expiresAt;
            return;
        }
        Add(new Cookie(name.ToString(), value.ToString(), hostOnly ? host : domain.ToString().ToLowerInvariant(), path.ToString())
        {
            HostOnly = hostOnly,
            Secure = secure,
            ExpiresAt = expiresAt,
        });
    }

    /// <summary>
    /// Appends "name=value; ..." for each cookie a request to this host, path and scheme carries, skipping names in
    /// <paramref name="explicitCookies"/> (the request's own Cookie header wins). Returns how many were written;
    /// expired cookies met on the way are swept. Allocates nothing.
    /// </summary>
    internal int Write(Span<byte> destination, out int written, string host, string path, bool secureChannel, string? explicitCookies, bool leadingSeparator)
    {
        written = 0;
        var count = 0;
        var now = MonotonicClock.Now;
        for (var i = 0; i < _cookies.Count; i++)
        {
            var cookie = _cookies[i];
            if (cookie.ExpiresAt != 0 && cookie.ExpiresAt <= now)
            {
                _cookies.RemoveAt(i--);
                continue;
            }
            if (!Matches(cookie, host, path, secureChannel, now) || (explicitCookies is not null && Names(explicitCookies, cookie.Name)))
            {
                continue;
            }
            if (count > 0 || leadingSeparator)
            {
                written += Write(destination[written..], "; ");
            }
            written += Write(destination[written..], cookie.Name);
            written += Write(destination[written..], "=");
            written += Write(destination[written..], cookie.Value);
            count++;
        }
        return count;
    }

    /// <summary>An upper bound of what <see cref="Write(Span{byte}, out int, string, string, bool, string, bool)"/> may write, to size the buffer first.</summary>
    internal int MaxWrittenBytes()
    {
        var total = 0;
        foreach (var cookie in _cookies)
        {
            total += cookie.Name.Length + cookie.Value.Length + 3;
        }
        return total + 2;
    }

    /// <summary>"a=1; b=2" for a request, or null when the jar has none for it; what the HTTP/2 transport adds.</summary>
    internal string? HeaderFor(string host, string path, bool secureChannel, string? explicitCookies)
    {
        if (_cookies.Count == 0)
        {
            return null;
        }
        var buffer = new byte[MaxWrittenBytes()];
        return Write(buffer, out var written, host, path, secureChannel, explicitCookies, leadingSeparator: false) == 0
            ? null
            : Encoding.Latin1.GetString(buffer, 0, written);
    }

    private static int Write(Span<byte> destination, string text) => Encoding.Latin1.GetBytes(text, destination);

    private static bool Matches(Cookie cookie, string host, string path, bool secureChannel, long now) =>
        (cookie.ExpiresAt == 0 || cookie.ExpiresAt > now)
        && (!cookie.Secure || secureChannel)
        && (cookie.HostOnly ? string.Equals(host, cookie.Domain, StringComparison.OrdinalIgnoreCase) : DomainMatches(host, cookie.Domain))
        && PathMatches(path, cookie.Path);

    // RFC 6265 5.1.3: the host itself, or a subdomain of a domain with a dot in it (no cookies for "com"); IPs only exactly.
    private static bool DomainMatches(string host, ReadOnlySpan<char> domain)
    {
        if (domain.Equals(host, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        return domain.Contains('.') && !IPAddress.TryParse(host, out _)
            && host.Length > domain.Length + 1 && host[host.Length - domain.Length - 1] == '.'
            && host.AsSpan().EndsWith(domain, StringComparison.OrdinalIgnoreCase);
    }

    // RFC 6265 5.1.4.
    private static bool PathMatches(string requestPath, string cookiePath) =>
        requestPath.StartsWith(cookiePath, StringComparison.Ordinal)
        && (requestPath.Length == cookiePath.Length || cookiePath[^1] == '/' || requestPath[cookiePath.Length] == '/');

    // RFC 6265 5.1.4: the request path up to its last '/', or "/".
    private static ReadOnlySpan<char> DefaultPath(string requestPath)
    {
        var last = requestPath.LastIndexOf('/');
        return last <= 0 ? "/" : requestPath.AsSpan(0, last);
    }

    private static bool Names(string cookieHeader, string name)
    {
        foreach (var range in cookieHeader.AsSpan().Split(';'))
        {
            var pair = cookieHeader.AsSpan(range).Trim(' ');
            var equals = pair.IndexOf('=');
            if ((equals < 0 ? pair : pair[..equals]).SequenceEqual(name))
            {
                return true;
            }
        }
        return false;
    }

    private static bool IsCookieText(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c < 0x20 || c == 0x7F || c > 0xFF)
            {
                return false; // a CR, LF or NUL sent back would break our own request
            }
        }
        return true;
    }

    private static DateTimeOffset? ParseExpires(ReadOnlySpan<char> text) =>
        DateTimeOffset.TryParseExact(text, ExpiresFormats, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var exact) ? exact
        : DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var loose) ? loose
        : null;

    private void Add(Cookie cookie)
    {
        EvictFor(cookie.Domain);
        cookie.Created = ++_created;
        var at = 0;
        while (at < _cookies.Count && _cookies[at].Path.Length >= cookie.Path.Length)
        {
            at++;
        }
        _cookies.Insert(at, cookie);
    }

    private int IndexOf(ReadOnlySpan<char> name, ReadOnlySpan<char> domain, ReadOnlySpan<char> path)
    {
        for (var i = 0; i < _cookies.Count; i++)
        {
            var cookie = _cookies[i];
            if (name.SequenceEqual(cookie.Name) && path.SequenceEqual(cookie.Path) && domain.Equals(cookie.Domain, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }
        return -1;
    }

    // Expired cookies go first, then the oldest of the same domain, then the oldest of all.
    private void EvictFor(string domain)
    {
        var now = MonotonicClock.Now;
        _cookies.RemoveAll(c => c.ExpiresAt != 0 && c.ExpiresAt <= now);
        if (_cookies.Count(c => string.Equals(c.Domain, domain, StringComparison.OrdinalIgnoreCase)) >= MaxCookiesPerDomain)
        {
            RemoveOldest(c => string.Equals(c.Domain, domain, StringComparison.OrdinalIgnoreCase));
        }
        if (_cookies.Count >= MaxCookies)
        {
            RemoveOldest(static _ => true);
        }
    }

    private void RemoveOldest(Func<Cookie, bool> among)
    {
        var oldest = -1;
        for (var i = 0; i < _cookies.Count; i++)
        {
            if (among(_cookies[i]) && (oldest < 0 || _cookies[i].Created < _cookies[oldest].Created))
            {
                oldest = i;
            }
        }
        if (oldest >= 0)
        {
            _cookies.RemoveAt(oldest);
        }
    }

    // Mutable so that a cookie set again is updated where it is, without allocating.
    private sealed class Cookie(string name, string value, string domain, string path)
    {
        public string Name { get; } = name;
        public string Value { get; set; } = value;
        public string Domain { get; } = domain;
        public string Path { get; } = path;
        public bool HostOnly { get; set; }
        public bool Secure { get; set; }

        /// <summary>Monotonic ticks; 0 for a session cookie (kept until the jar is cleared).</summary>
        public long ExpiresAt { get; set; }

        public long Created { get; set; }
    }
}
