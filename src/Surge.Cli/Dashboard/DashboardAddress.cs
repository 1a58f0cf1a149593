using System.Globalization;
using System.Net;
using Surge.Plans;

namespace Surge.Cli.Dashboard;

/// <summary>Where `--dashboard[=HOST:PORT]` listens: 127.0.0.1:5665 unless told otherwise (k6's port).</summary>
public sealed record DashboardAddress(IPAddress Host, int Port)
{
    public const int DefaultPort = 5665;

    /// <summary>
    /// Host names besides the machine's own that requests may carry (`--dashboard-host`, e.g. the name of a reverse
    /// proxy in front of it). Any other Host header is refused, so a page on another site cannot reach the dashboard
    /// through a DNS name it points at this machine (DNS rebinding).
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    public bool IsLoopback => IPAddress.IsLoopback(Host);

    /// <summary>A `--dashboard-host` value: a host name or IP address, a port after it is ignored.</summary>
    public static string HostName(string text)
    {
        var name = text.Trim();
        if (name.StartsWith('[') && name.IndexOf(']', StringComparison.Ordinal) is > 0 and var close)
        {
            name = name[..(close + 1)];
        }
        else if (name.Count(c => c == ':') == 1)
        {
            name = name[..name.IndexOf(':', StringComparison.Ordinal)];
        }
        if (name.Length == 0 || name.Any(c => char.IsWhiteSpace(c) || c is '/' or '@' or '?' or '#'))
        {
            throw new PlanException($"--dashboard-host '{text}' is not a host name; write e.g. --dashboard-host loadgen.example.com");
        }
        return Normalize(name);
    }

    /// <summary>How a host name is compared: IP addresses in their canonical form, names in lower case without a final dot.</summary>
    public static string Normalize(string name) =>
        IPAddress.TryParse(name.Trim('[', ']'), out var address) ? address.ToString() : name.TrimEnd('.').ToLowerInvariant();

    /// <summary>True for text the option should take as its value rather than leave to the command: `HOST:PORT` or `:PORT`.</summary>
    public static bool LooksLikeAddress(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon >= 0 && !text.Contains('/', StringComparison.Ordinal) && colon < text.Length - 1 && text[(colon + 1)..].All(char.IsAsciiDigit);
    }

    /// <summary>`HOST:PORT` (an IP address, [IPv6] or localhost; an empty host is 127.0.0.1), or null for the default.</summary>
    public static DashboardAddress Parse(string? text) => Parse(text, "--dashboard", DefaultPort);

    /// <summary>`HOST:PORT` for <paramref name="option"/>, or 127.0.0.1:<paramref name="defaultPort"/> for null.</summary>
    public static DashboardAddress Parse(string? text, string option, int defaultPort)
    {
        if (string.IsNullOrEmpty(text))
        {
            return new DashboardAddress(IPAddress.Loopback, defaultPort);
        }
        var colon = text.LastIndexOf(':');
        if (!LooksLikeAddress(text)
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw new PlanException($"{option} '{text}' is not HOST:PORT; write e.g. {option}=127.0.0.1:{defaultPort}");
        }
        var host = text[..colon];
        if (host.Length == 0 || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new DashboardAddress(IPAddress.Loopback, port);
        }
        return IPAddress.TryParse(host.Trim('[', ']'), out var address)
            ? new DashboardAddress(address, port)
            : throw new PlanException($"{option} '{text}': '{host}' is not an IP address; write e.g. 127.0.0.1 or 0.0.0.0");
    }
}
