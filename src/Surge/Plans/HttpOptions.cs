namespace Surge.Plans;

/// <summary>How VUs hold connections: each its own, as in k6 (the default), or one pool for the whole run.</summary>
public enum ConnectionSharing
{
    PerVu,
    Shared,
}

/// <summary>Run-wide HTTP settings, k6's option names where k6 has one.</summary>
public sealed record HttpOptions
{
    public static readonly HttpOptions Default = new();

    /// <summary>k6's insecureSkipTLSVerify: accept any server certificate (self-signed test servers).</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    public ConnectionSharing Connections { get; init; } = ConnectionSharing.PerVu;
}
