using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Surge.Cli.Dashboard;

/// <summary>
/// The rules of every HTTP endpoint a run serves (the live dashboard, the REST API): requests must name this machine
/// (or an allowed host) in their Host header, so that another site cannot reach them through a DNS name it points here
/// (DNS rebinding); and anything that changes the run needs the <see cref="TokenHeader"/> header with the run's token,
/// which a cross-site form cannot set and a cross-site script could only set after a CORS preflight, never granted.
/// </summary>
public sealed class RequestGuard(IReadOnlySet<string> allowedHosts, string token)
{
    public const string TokenHeader = "X-Surge-Token";

    public string Token { get; } = token;

    /// <summary>A fresh random token for a run that was not given one.</summary>
    public static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    public bool HostAllowed(HttpRequest request) =>
        request.Host.HasValue && allowedHosts.Contains(DashboardAddress.Normalize(request.Host.Host));

    /// <summary>The request carries the token, and no other site's page sent it.</summary>
    public bool HasToken(HttpRequest request)
    {
        var given = Encoding.UTF8.GetBytes(request.Headers[TokenHeader].ToString());
        var origin = request.Headers.Origin.ToString();
        return CryptographicOperations.FixedTimeEquals(given, Encoding.UTF8.GetBytes(Token))
            && (origin.Length == 0 || string.Equals(origin, "http://" + request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}
