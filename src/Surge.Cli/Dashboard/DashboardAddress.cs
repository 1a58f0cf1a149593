using System.Globalization;
using System.Net;
using Surge.Plans;

namespace Surge.Cli.Dashboard;

/// <summary>Where `--dashboard[=HOST:PORT]` listens: 127.0.0.1:5665 unless told otherwise (k6's port).</summary>
public sealed record DashboardAddress(IPAddress Host, int Port)
{
    public const int DefaultPort = 5665;

    public static DashboardAddress Default { get; } = new(IPAddress.Loopback, DefaultPort);

    /// <summary>Only loopback listeners check the Host header, since a wider one can be reached by any name.</summary>
    public bool IsLoopback => IPAddress.IsLoopback(Host);

    /// <summary>True for text the option should take as its value rather than leave to the command: `HOST:PORT` or `:PORT`.</summary>
    public static bool LooksLikeAddress(string text)
    {
        var colon = text.LastIndexOf(':');
        return colon >= 0 && !text.Contains('/', StringComparison.Ordinal) && colon < text.Length - 1 && text[(colon + 1)..].All(char.IsAsciiDigit);
    }

    /// <summary>`HOST:PORT` (an IP address, [IPv6] or localhost; an empty host is 127.0.0.1), or null for the default.</summary>
    public static DashboardAddress Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Default;
        }
        var colon = text.LastIndexOf(':');
        if (!LooksLikeAddress(text)
            || !int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw new PlanException($"--dashboard '{text}' is not HOST:PORT; write e.g. --dashboard=127.0.0.1:{DefaultPort}");
        }
        var host = text[..colon];
        if (host.Length == 0 || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new DashboardAddress(IPAddress.Loopback, port);
        }
        return IPAddress.TryParse(host.Trim('[', ']'), out var address)
            ? new DashboardAddress(address, port)
            : throw new PlanException($"--dashboard '{text}': '{host}' is not an IP address; write e.g. 127.0.0.1 or 0.0.0.0");
    }
}
