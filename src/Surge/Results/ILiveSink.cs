namespace Surge.Results;

/// <summary>
/// Receives the run as it happens: one snapshot per interval on the collector thread, then the final summary.
/// Implementations must return quickly and copy what they keep; the snapshot is reused.
/// </summary>
public interface ILiveSink
{
    void OnSnapshot(LiveSnapshot snapshot);

    void OnCompleted(RunSummary summary);
}
