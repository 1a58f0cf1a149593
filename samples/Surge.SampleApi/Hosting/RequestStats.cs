using System.Collections.Concurrent;

namespace Surge.SampleApi.Hosting;

/// <summary>Server-side request counts: the ground truth a load generator's http_reqs is compared with.</summary>
internal sealed class RequestStats
{
    private readonly ConcurrentDictionary<(string Method, string Route), Counter> _byRoute = new();
    private long _total;

    public long Total => Interlocked.Read(ref _total);

    public void Record(string method, string route)
    {
        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _byRoute.GetOrAdd((method, route), static _ => new Counter()).Value);
    }

    /// <summary>Counts per "METHOD /route/{pattern}", leaving out routes not hit since the last reset.</summary>
    public SortedDictionary<string, long> ByRoute()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var ((method, route), counter) in _byRoute)
        {
            var count = Interlocked.Read(ref counter.Value);
            if (count > 0)
            {
                result[$"{method} {route}"] = count;
            }
        }

        return result;
    }

    /// <summary>Zeroes the counters in place: a request racing the reset keeps a live counter to increment.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _total, 0);
        foreach (var counter in _byRoute.Values)
        {
            Interlocked.Exchange(ref counter.Value, 0);
        }
    }

    private sealed class Counter
    {
        public long Value;
    }
}
