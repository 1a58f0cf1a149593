using System.Collections.Concurrent;
using Surge.Engine.Executors;

namespace Surge.Tests.Engine;

public sealed class IdleVusTests
{
    [Fact]
    public void The_vu_that_came_free_last_is_handed_out_first()
    {
        var idle = new IdleVus<Item>();
        var items = Enumerable.Range(0, 40).Select(i => new Item(i)).ToList();
        foreach (var item in items)
        {
            idle.Add(item);
            idle.Push(item);
        }

        var popped = new List<int>();
        while (idle.TryPop(out var item))
        {
            popped.Add(item.Name);
        }

        Assert.Equal(Enumerable.Range(0, 40).Reverse(), popped);
    }

    [Fact]
    public async Task Vus_taken_and_given_back_by_several_threads_at_once_are_never_handed_to_two_at_a_time()
    {
        var idle = new IdleVus<Item>();
        var items = Enumerable.Range(0, 8).Select(i => new Item(i)).ToList();
        foreach (var item in items)
        {
            idle.Add(item);
            idle.Push(item);
        }
        var overlaps = 0;
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var round = 0; round < 100_000; round++)
            {
                if (!idle.TryPop(out var item))
                {
                    continue;
                }
                if (Interlocked.Increment(ref item.Holders) != 1)
                {
                    Interlocked.Increment(ref overlaps);
                }
                Interlocked.Decrement(ref item.Holders);
                idle.Push(item);
            }
        })).ToArray();
        await Task.WhenAll(workers);

        Assert.Equal(0, overlaps);
        var left = new ConcurrentBag<int>();
        while (idle.TryPop(out var item))
        {
            left.Add(item.Name);
        }
        Assert.Equal(Enumerable.Range(0, 8), left.Order());
    }

    private sealed class Item(int name) : IdleVus<Item>.IItem
    {
        public int Holders;

        public int Name { get; } = name;

        public int Index { get; set; }

        public int Below { get; set; }
    }
}
