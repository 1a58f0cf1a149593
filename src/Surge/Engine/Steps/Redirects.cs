using Surge.Http;

namespace Surge.Engine.Steps;

/// <summary>
/// Follows redirects as k6 does: each hop is a request of its own in the metrics (its own `url` and `method` tags,
/// the step's `name`), cookies a hop sets go with the next one, and checks and captures see the final response. A
/// chain longer than maxRedirects ends in `too_many_redirects`, a redirect without a usable Location in
/// `invalid_redirect`. A hop to another host or port opens a connection to that endpoint through the same transport,
/// with the same TLS policy and timeout as any request. YAML steps and C# steps share this.
/// </summary>
internal static class Redirects
{
    /// <summary>The statuses that are followed; 300 (multiple choices) and 304 (not modified) are not redirects to follow.</summary>
    public static bool IsRedirect(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <param name="vu">The VU that sent the request; its session's cookies go with each hop.</param>
    /// <param name="first">The request that got <paramref name="timings"/>, a redirect.</param>
    /// <param name="timings">The redirect response's outcome.</param>
    /// <param name="firstMetrics">Where the first response is recorded.</param>
    /// <param name="hopMetrics">Where a hop's response is recorded, by its method and URL.</param>
    /// <param name="maxRedirects">How many hops to follow before failing with too_many_redirects.</param>
    /// <param name="protocol">The protocol every hop is sent with.</param>
    /// <param name="keep">Receives the final response, for checks and captures; null discards bodies.</param>
    /// <param name="cancellationToken">Interrupts the hop in flight.</param>
    /// <returns>The final response's outcome; <see cref="VirtualUser.FinalHop"/> says where to record it (null: <paramref name="firstMetrics"/>).</returns>
    public static async ValueTask<HttpTimings> FollowAsync(VirtualUser vu, HttpRequest first, HttpTimings timings, RequestMetrics firstMetrics,
        Func<string, string, RequestMetrics> hopMetrics, int maxRedirects, HttpProtocol protocol, HttpResponseBuffer? keep,
        CancellationToken cancellationToken)
    {
        var request = first;
        var metrics = firstMetrics;
        for (var hops = 0; IsRedirect(timings.Status); hops++)
        {
            if (hops == maxRedirects)
            {
                timings = Failed(timings, NetworkError.TooManyRedirects);
                break;
            }
            if (Next(request, timings.Status, vu.Session.Location) is not { } next)
            {
                timings = Failed(timings, NetworkError.InvalidRedirect);
                break;
            }
            metrics.Record(vu, timings);
            request = next;
            metrics = hopMetrics(next.Method.Method, next.Uri.AbsoluteUri);
            timings = await vu.Http(protocol).SendAsync(next, keep, cancellationToken).ConfigureAwait(false);
            if (timings.Error is not null)
            {
                break; // recorded by the caller, which also stops the iteration when it was interrupted
            }
        }
        vu.FinalHop = ReferenceEquals(metrics, firstMetrics) ? null : metrics;
        return timings;
    }

    // The redirect stays a response: its phases and bytes count, but it is not a usable status.
    private static HttpTimings Failed(HttpTimings timings, string error)
    {
        timings.Error = error;
        timings.Status = 0;
        return timings;
    }

    /// <summary>The request a redirect leads to, or null when its Location is missing or not an http(s) URL.</summary>
    internal static HttpRequest? Next(HttpRequest current, int status, string? location)
    {
        if (string.IsNullOrWhiteSpace(location) || location.AsSpan().ContainsAnyInRange('\0', '\u001f')
            || !Uri.TryCreate(current.Uri, location.Trim(), out var target) || target.Scheme is not ("http" or "https"))
        {
            return null;
        }
        return current.Redirected(target, status);
    }
}
