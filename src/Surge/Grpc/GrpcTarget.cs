using Surge.Plans;

namespace Surge.Grpc;

/// <summary>
/// Where gRPC calls go: an http:// address speaks h2c (HTTP/2 with prior knowledge), an https:// one HTTP/2 over
/// TLS (ALPN h2), under the test's TLS options (insecureSkipTLSVerify).
/// </summary>
internal static class GrpcTarget
{
    /// <summary>
    /// The absolute address for <paramref name="target"/>: an http(s) URL as it is, a relative one against the
    /// test's base URL, or the base URL itself when <paramref name="target"/> is null.
    /// </summary>
    /// <exception cref="PlanException">When it is neither, naming what was given.</exception>
    public static Uri Resolve(string? target, HttpOptions options)
    {
        if (target is null)
        {
            return options.BaseAddress
                ?? throw new PlanException("gRPC calls need a target: give one (ctx.Grpc.Client<T>(\"http://host:port\")) or a base URL (--base-url, .BaseUrl(...))");
        }
        if (HttpOptions.TryParseHttpUrl(target, out var absolute))
        {
            return absolute;
        }
        throw new PlanException(Uri.TryCreate("http://" + target, UriKind.Absolute, out _)
            ? $"gRPC target '{target}' needs a scheme: http://{target} for h2c (prior knowledge), https://{target} for TLS"
            : $"gRPC target '{target}' is not an http(s) URL");
    }
}
