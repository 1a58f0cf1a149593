namespace Surge.SampleApi;

/// <summary>Which persistence the sample API uses for items and orders.</summary>
public enum StoreKind
{
    /// <summary>A naive data.json read-modify-write with no locking: loses records and repeats ids under load.</summary>
    JsonFile,

    /// <summary>Locked read-modify-write, counter ids and atomic file replacement: correct under load.</summary>
    Safe,
}

public sealed record SampleApiOptions
{
    public StoreKind Store { get; init; } = StoreKind.Safe;

    /// <summary>The TCP port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>A loopback address (127.0.0.1, ::1 or localhost); anything else is refused.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Where data.json lives; null means a fresh temporary directory that is deleted on dispose.</summary>
    public string? DataDirectory { get; init; }
}
