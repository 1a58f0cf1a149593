namespace Surge.Http;

/// <summary>Where a connection goes: requests to the same endpoint may share one.</summary>
internal sealed record HttpEndpoint(string Host, int Port, bool Tls)
{
    public static HttpEndpoint Of(Uri uri) => new(uri.IdnHost, uri.Port, uri.Scheme == Uri.UriSchemeHttps);
}
