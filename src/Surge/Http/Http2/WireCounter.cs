using Surge.Engine;

namespace Surge.Http.Http2;

/// <summary>
/// The bytes one or more connections moved on the wire (TCP payload: HTTP/2 frames, HPACK, TLS records when on TLS),
/// counted by <see cref="CountingStream"/>. A multiplexed connection's bytes cannot be told apart by request from below
/// the framing, so callers <see cref="Claim"/> what arrived since the last claim: every byte is claimed exactly once,
/// whatever the concurrency, and the sum over all claims is the wire total.
/// </summary>
internal sealed class WireCounter
{
    private long _sent;
    private long _received;
    private long _claimedSent;
    private long _claimedReceived;
    private long _lastWriteAt;

    public long Sent => Volatile.Read(ref _sent);

    public long Received => Volatile.Read(ref _received);

    /// <summary>When the connection last handed bytes to the socket (Stopwatch ticks), 0 before it ever did.</summary>
    public long LastWriteAt => Volatile.Read(ref _lastWriteAt);

    internal void AddSent(int count)
    {
        Interlocked.Add(ref _sent, count);
        Volatile.Write(ref _lastWriteAt, MonotonicClock.Now);
    }

    internal void AddReceived(int count) => Interlocked.Add(ref _received, count);

    /// <summary>The bytes sent and received since the previous claim; concurrent claims never get the same byte twice.</summary>
    public (long Sent, long Received) Claim() =>
        (ClaimUpTo(ref _claimedSent, Volatile.Read(ref _sent)), ClaimUpTo(ref _claimedReceived, Volatile.Read(ref _received)));

    private static long ClaimUpTo(ref long claimed, long total)
    {
        while (true)
        {
            var before = Volatile.Read(ref claimed);
            if (total <= before)
            {
                return 0;
            }
            if (Interlocked.CompareExchange(ref claimed, total, before) == before)
            {
                return total - before;
            }
        }
    }
}
