namespace Surge.SampleApi;

/// <summary>Which persistence the sample API uses for items and orders.</summary>
public enum StoreKind
{
    /// <summary>A naive data.json read-modify-write with no locking: loses records and repeats ids under load.</summary>
    JsonFile,

    /// <summary>A SQLite database in WAL mode, one transaction per write, AUTOINCREMENT ids: correct under load.</summary>
    Sqlite,
}

public sealed record SampleApiOptions
{
    public StoreKind Store { get; init; } = StoreKind.Sqlite;

    /// <summary>The TCP port to listen on; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>A loopback address (127.0.0.1, ::1 or localhost); anything else is refused.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>
    /// A private address the caller gave this machine for the purpose, listened on instead of <see cref="Host"/>: tests
    /// reach the API from network namespaces over veth pairs they created. In-process only; the command line stays loopback.
    /// </summary>
    public System.Net.IPAddress? PrivateAddress { get; init; }

    /// <summary>
    /// A cleartext HTTP/2-only port (h2c with prior knowledge) for gRPC and HTTP/2 clients: 0 picks a free one, null
    /// listens on none. The HTTP/1.1 <see cref="Port"/> serves no gRPC, since gRPC needs HTTP/2.
    /// </summary>
    public int? H2cPort { get; init; }

    /// <summary>
    /// A TLS port serving HTTP/1.1 and HTTP/2, chosen by ALPN, with a self-signed certificate made in memory at start
    /// (<see cref="SampleApiHost.TlsCertificate"/>): 0 picks a free one, null listens on none.
    /// </summary>
    public int? TlsPort { get; init; }

    /// <summary>Where the store's files live; null means a fresh temporary directory that is deleted on dispose.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>How GET /capacity serves: its known capacity is <see cref="CapacityOptions.RequestsPerSecond"/>.</summary>
    public CapacityOptions Capacity { get; init; } = new();
}

/// <summary>
/// GET /capacity holds each request for <see cref="ServiceTime"/> in one of <see cref="Concurrency"/> slots. Up to
/// <see cref="Queue"/> more requests wait in line (first come, first served) for a free slot; any beyond that are
/// answered 503 at once. So the endpoint serves at most Concurrency / ServiceTime requests per second, whatever the load.
/// </summary>
public sealed record CapacityOptions
{
    public TimeSpan ServiceTime { get; init; } = TimeSpan.FromMilliseconds(20);

    public int Concurrency { get; init; } = 4;

    /// <summary>
    /// 50 by default: a quarter second of work at the default capacity absorbs a load generator's bursts, so 503s mean
    /// that the sustained rate is over capacity.
    /// </summary>
    public int Queue { get; init; } = 50;

    /// <summary>The analytic capacity, Concurrency / ServiceTime (200/s by default).</summary>
    public double RequestsPerSecond => Concurrency / ServiceTime.TotalSeconds;
}
