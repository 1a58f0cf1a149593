using System.Diagnostics;

namespace Surge.SampleApi.Hosting;

/// <summary>
/// GET /capacity's server: a fixed number of slots, each holding a request for the fixed service time, a bounded
/// first-come-first-served line in front of them, and 503 beyond it. It measures itself, so a test can hold the
/// load generator's numbers against what the server saw.
/// </summary>
internal sealed class CapacityLimiter(CapacityOptions options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Concurrency, options.Concurrency);
    private int _admitted;
    private int _inService;
    private int _maxInService;
    private long _served;
    private long _rejected;
    private long _serviceTicks;
    private long _firstStart;
    private long _lastEnd;

    public CapacityOptions Options => options;

    /// <summary>False when every slot is busy and the line is full: the caller answers 503.</summary>
    public async ValueTask<bool> TryServeAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _admitted) > options.Concurrency + options.Queue)
        {
            Interlocked.Decrement(ref _admitted);
            Interlocked.Increment(ref _rejected);
            return false;
        }

        try
        {
            // SemaphoreSlim serves its asynchronous waiters in arrival order; a client that hangs up leaves the line.
            await _slots.WaitAsync(cancellationToken);
            try
            {
                Max(ref _maxInService, Interlocked.Increment(ref _inService));
                var start = Stopwatch.GetTimestamp();
                Interlocked.CompareExchange(ref _firstStart, start, 0);
                // Not cancellable: a slot is busy for the whole service time, as a worker thread would be.
                await Task.Delay(options.ServiceTime, CancellationToken.None);
                var end = Stopwatch.GetTimestamp();
                Interlocked.Add(ref _serviceTicks, end - start);
                Max(ref _lastEnd, end);
                Interlocked.Increment(ref _served);
            }
            finally
            {
                Interlocked.Decrement(ref _inService);
                _slots.Release();
            }

            return true;
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }

    public CapacityStats Snapshot()
    {
        var served = Interlocked.Read(ref _served);
        var window = Stopwatch.GetElapsedTime(Interlocked.Read(ref _firstStart), Interlocked.Read(ref _lastEnd));
        return new CapacityStats(
            options.Concurrency,
            options.ServiceTime.TotalMilliseconds,
            options.Queue,
            options.RequestsPerSecond,
            served,
            Interlocked.Read(ref _rejected),
            Volatile.Read(ref _inService),
            Volatile.Read(ref _maxInService),
            served == 0 ? 0 : Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _serviceTicks)).TotalMilliseconds / served,
            served < 2 || window <= TimeSpan.Zero ? 0 : served / window.TotalSeconds);
    }

    /// <summary>Zeroes the counters; requests in service or in line stay counted as such.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _served, 0);
        Interlocked.Exchange(ref _rejected, 0);
        Interlocked.Exchange(ref _serviceTicks, 0);
        Interlocked.Exchange(ref _firstStart, 0);
        Interlocked.Exchange(ref _lastEnd, 0);
        Interlocked.Exchange(ref _maxInService, Volatile.Read(ref _inService));
    }

    public void Dispose() => _slots.Dispose();

    private static void Max(ref int field, int value)
    {
        for (var seen = Volatile.Read(ref field); value > seen; seen = Volatile.Read(ref field))
        {
            if (Interlocked.CompareExchange(ref field, value, seen) == seen)
            {
                return;
            }
        }
    }

    private static void Max(ref long field, long value)
    {
        for (var seen = Interlocked.Read(ref field); value > seen; seen = Interlocked.Read(ref field))
        {
            if (Interlocked.CompareExchange(ref field, value, seen) == seen)
            {
                return;
            }
        }
    }
}
