namespace Surge.Plans;

/// <summary>
/// After the load and teardown, proves the server kept every write: the ids the client saw acknowledged (captures
/// with a <see cref="CapturePlan.Ledger"/>) are compared with the server's own list, read by <see cref="Request"/>
/// as a JSON array whose elements carry <see cref="IdField"/>. Duplicates, missing records and a count mismatch
/// become checks (`verify <ledger>: ...`), so thresholds can gate on them.
/// </summary>
public sealed record VerifyPlan(string Ledger, RequestStep Request, string IdField)
{
    public SourceLocation? Location { get; init; }
}
