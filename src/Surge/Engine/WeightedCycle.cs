namespace Surge.Engine;

/// <summary>
/// Picks indexes in proportion to their weights, exactly: over every run of sum(weights) picks each index comes up
/// weight times, interleaved (smooth weighted round-robin, so 3:2:1 goes a b a c b a, not a a a b b c). Shared by
/// all VUs through one atomic counter, so the ratios hold across the whole scenario.
/// </summary>
internal sealed class WeightedCycle
{
    private readonly int[] _order;
    private long _next = -1;

    public WeightedCycle(IReadOnlyList<int> weights)
    {
        if (weights.Count == 0 || weights.Any(w => w < 1))
        {
            throw new ArgumentException("weights must be whole numbers of at least 1", nameof(weights));
        }
        var total = weights.Sum();
        var current = new int[weights.Count];
        _order = new int[total];
        for (var slot = 0; slot < total; slot++)
        {
            var best = 0;
            for (var i = 0; i < weights.Count; i++)
            {
                current[i] += weights[i];
                if (current[i] > current[best])
                {
                    best = i;
                }
            }
            current[best] -= total;
            _order[slot] = best;
        }
    }

    /// <summary>How often each index comes up in the first <paramref name="picks"/> picks of a fresh cycle.</summary>
    public int[] CountsIn(int picks)
    {
        var counts = new int[_order.Max() + 1];
        for (var pick = 0; pick < picks; pick++)
        {
            counts[_order[pick % _order.Length]]++;
        }
        return counts;
    }

    /// <summary>The fewest picks of a fresh cycle in which every index comes up at least once.</summary>
    public int PicksToReachAll() => _order.Select((index, pick) => (index, pick)).GroupBy(p => p.index).Max(g => g.First().pick) + 1;

    /// <summary>The index of pick number <paramref name="pick"/> (from 0) of a fresh cycle.</summary>
    public int At(long pick) => _order[(int)(pick % _order.Length)];

    public int Next() => _order.Length == 1 ? 0 : _order[(int)(Interlocked.Increment(ref _next) % _order.Length)];
}
