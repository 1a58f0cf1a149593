namespace Surge.Engine.Executors;

/// <summary>
/// The next arrival of an open model that nobody has started yet. Both the dispatcher and a VU that comes free claim
/// arrivals here, each arrival exactly once: a claim moves the cursor by one with a compare-and-swap on its index, and
/// when an arrival is due follows from that index alone, so no lock is taken and none is needed.
/// </summary>
internal sealed class ArrivalCursor(Func<long, long?> dueAt)
{
    private long _next;

    /// <summary>When the next unclaimed arrival is due (Stopwatch ticks), or null when the schedule has ended.</summary>
    public long? NextDue => dueAt(Volatile.Read(ref _next));

    /// <summary>Claims the next arrival if it is due by <paramref name="now"/>.</summary>
    public bool TryClaim(long now, out long due)
    {
        var n = Volatile.Read(ref _next);
        while (dueAt(n) is { } at && at <= now)
        {
            var seen = Interlocked.CompareExchange(ref _next, n + 1, n);
            if (seen == n)
            {
                due = at;
                return true;
            }
            n = seen;
        }
        due = 0;
        return false;
    }
}
