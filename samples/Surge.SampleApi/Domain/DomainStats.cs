namespace Surge.SampleApi.Domain;

/// <summary>The protocol a domain operation came in by: the REST endpoints or the gRPC services.</summary>
public enum ApiProtocol
{
    Rest,
    Grpc,
}

internal enum DomainEvent
{
    CashierCreated,
    CashierRead,
    CashiersListed,
    CashierUpdated,
    CashierDeleted,
    InvoiceCreated,
    InvoiceRead,
    InvoicePaid,
    InvoiceCancelled,
    InvoicesImported,
    Conflict,
    FailedPrecondition,
    NotFound,
    Invalid,
}

/// <summary>
/// What the cashiers/invoices domain did for one protocol since start or the last POST /stats/reset: the ground truth
/// for a load test's business metrics. InvoicesImported counts invoices (not calls); Conflicts are stale versions
/// (409 / ABORTED), PreconditionFailures refused state changes (422 / FAILED_PRECONDITION).
/// </summary>
public sealed record DomainCounts(
    long CashiersCreated,
    long CashiersRead,
    long CashiersListed,
    long CashiersUpdated,
    long CashiersDeleted,
    long InvoicesCreated,
    long InvoicesRead,
    long InvoicesPaid,
    long InvoicesCancelled,
    long InvoicesImported,
    long Conflicts,
    long PreconditionFailures,
    long NotFound,
    long Invalid);

/// <summary>GET /stats's domain section: the same counts, per protocol.</summary>
public sealed record DomainStatsView(DomainCounts Rest, DomainCounts Grpc);

/// <summary>Lock-free counts of domain outcomes, one row of counters per protocol.</summary>
internal sealed class DomainStats
{
    private static readonly int EventCount = Enum.GetValues<DomainEvent>().Length;
    private readonly long[] _counts = new long[Enum.GetValues<ApiProtocol>().Length * EventCount];

    public void Record(ApiProtocol protocol, DomainEvent domainEvent, long count = 1) =>
        Interlocked.Add(ref _counts[Index(protocol, domainEvent)], count);

    public void Record(ApiProtocol protocol, Failure failure) => Record(protocol, failure switch
    {
        Failure.Conflict => DomainEvent.Conflict,
        Failure.FailedPrecondition => DomainEvent.FailedPrecondition,
        Failure.NotFound => DomainEvent.NotFound,
        _ => DomainEvent.Invalid,
    });

    public DomainCounts Snapshot(ApiProtocol protocol)
    {
        long Read(DomainEvent e) => Interlocked.Read(ref _counts[Index(protocol, e)]);
        return new DomainCounts(
            Read(DomainEvent.CashierCreated), Read(DomainEvent.CashierRead), Read(DomainEvent.CashiersListed),
            Read(DomainEvent.CashierUpdated), Read(DomainEvent.CashierDeleted), Read(DomainEvent.InvoiceCreated),
            Read(DomainEvent.InvoiceRead), Read(DomainEvent.InvoicePaid), Read(DomainEvent.InvoiceCancelled),
            Read(DomainEvent.InvoicesImported), Read(DomainEvent.Conflict), Read(DomainEvent.FailedPrecondition),
            Read(DomainEvent.NotFound), Read(DomainEvent.Invalid));
    }

    public DomainStatsView View() => new(Snapshot(ApiProtocol.Rest), Snapshot(ApiProtocol.Grpc));

    public void Reset()
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            Interlocked.Exchange(ref _counts[i], 0);
        }
    }

    private static int Index(ApiProtocol protocol, DomainEvent domainEvent) => ((int)protocol * EventCount) + (int)domainEvent;
}
