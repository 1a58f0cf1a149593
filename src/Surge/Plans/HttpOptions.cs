using System.Diagnostics.CodeAnalysis;

namespace Surge.Plans;

/// <summary>How VUs hold connections: each its own, as in k6 (the default), or one pool for the whole run.</summary>
public enum ConnectionSharing
{
    /// <summary>Each VU opens and keeps its own keep-alive connections, as k6's VUs do (YAML's `connections: per-vu`).</summary>
    PerVu,

    /// <summary>
    /// Connections any VU may use, for the whole run (YAML's `connections: shared`): a pool for HTTP/1.1, one
    /// multiplexed connection per endpoint for HTTP/2 (a second only when its streams are all busy), one channel per
    /// target for gRPC.
    /// </summary>
    Shared,
}

/// <summary>Run-wide HTTP settings, k6's option names where k6 has one.</summary>
public sealed record HttpOptions
{
    /// <summary>Every option at its default: no base URL, TLS verified, 10 redirects, a cookie jar per VU, connections per VU.</summary>
    public static readonly HttpOptions Default = new();

    /// <summary>k6's insecureSkipTLSVerify: accept any server certificate (self-signed test servers).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>Whether each VU keeps its own connections (<see cref="ConnectionSharing.PerVu"/>, the default) or the run shares one pool.</summary>
    public ConnectionSharing Connections { get; init; } = ConnectionSharing.PerVu;

    /// <summary>k6's default number of redirects followed before a request fails with `too_many_redirects`.</summary>
    public const int DefaultMaxRedirects = 10;

    /// <summary>k6's maxRedirects: redirects followed, each recorded as a request of its own; 0 returns the 3xx as it is.</summary>
    public int MaxRedirects { get; init; } = DefaultMaxRedirects;

    /// <summary>Whether each VU keeps cookies from Set-Cookie and sends them back (on, as in k6 and Locust).</summary>
    public bool CookieJar { get; init; } = true;

    /// <summary>k6's noCookiesReset: keep a VU's cookies from one iteration to the next instead of emptying the jar.</summary>
    public bool NoCookiesReset { get; init; }

    /// <summary>
    /// Where relative request URLs point (`--base-url`, or <c>PlanBuilder.BaseUrl</c>). YAML resolves its own at load
    /// time so that a bad URL is reported at its line; C# plans and code steps resolve against this when they run.
    /// </summary>
    public Uri? BaseAddress { get; init; }

    /// <summary>True when <paramref name="text"/> is an absolute http or https URL, the only kind a test can send to.</summary>
    public static bool TryParseHttpUrl(string text, [NotNullWhen(true)] out Uri? url)
    {
        url = Uri.TryCreate(text, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https" ? parsed : null;
        return url is not null;
    }

    /// <summary>The absolute URL a request goes to; a relative one without a base address is a plan error.</summary>
    public Uri Resolve(string url, SourceLocation? at = null)
    {
        if (TryParseHttpUrl(url, out var absolute))
        {
            return absolute;
        }
        if (BaseAddress is not null && Uri.TryCreate(BaseAddress, url, out var resolved))
        {
            return resolved;
        }
        throw new PlanException(BaseAddress is null
            ? $"'{url}' is not an absolute http(s) URL; give a base URL (--base-url, or .BaseUrl(...) in C#) or a full URL"
            : $"'{url}' is not a URL, even relative to {BaseAddress}", at);
    }
}
