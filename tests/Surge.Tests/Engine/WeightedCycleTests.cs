using Surge.Engine;

namespace Surge.Tests.Engine;

public sealed class WeightedCycleTests
{
    [Fact]
    public void Every_run_of_the_total_weight_picks_each_index_exactly_its_weight_times_interleaved()
    {
        var cycle = new WeightedCycle([3, 2, 1]);

        var picks = Enumerable.Range(0, 60).Select(_ => cycle.Next()).ToArray();

        Assert.Equal([0, 1, 0, 2, 1, 0], picks[..6]);
        foreach (var round in picks.Chunk(6))
        {
            Assert.Equal([3, 2, 1], Enumerable.Range(0, 3).Select(i => round.Count(p => p == i)));
        }
    }

    [Fact]
    public void Picks_from_many_threads_keep_the_exact_proportions()
    {
        var cycle = new WeightedCycle([9, 1]);
        var counts = new int[2];

        Parallel.For(0, 100_000, _ => Interlocked.Increment(ref counts[cycle.Next()]));

        Assert.Equal([90_000, 10_000], counts);
    }

    [Fact]
    public void A_weight_below_one_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new WeightedCycle([2, 0]));
    }
}
