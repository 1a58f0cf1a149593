namespace Surge.Engine.Executors;

/// <summary>
/// The idle VUs of an arrival-rate scenario, last in first out: the VU that came free last is handed the next arrival,
/// while its connection, buffers and state are still in the CPU's caches, and VUs allocated for a burst stay idle
/// afterwards instead of taking turns with the rest. Lock-free and allocation-free: a stack linked through the items'
/// indexes, whose head also carries a version that every change increments, so that an item popped and pushed back
/// between another thread's read of the head and its compare-and-swap cannot be mistaken for the head it read.
/// </summary>
internal sealed class IdleVus<T>
    where T : class, IdleVus<T>.IItem
{
    private const long IndexMask = 0xFFFF_FFFF;

    // Items by index; replaced by a larger copy when full, by the one thread that adds items.
    private T[] _items = new T[16];
    private int _count;

    // (version << 32) | (index of the top item + 1); 0 in the low half when empty.
    private long _head;

    internal interface IItem
    {
        int Index { get; set; }

        /// <summary>The index of the item below this one on the stack, or -1.</summary>
        int Below { get; set; }
    }

    /// <summary>Makes <paramref name="item"/> known to the stack (not idle yet). Called by one thread at a time.</summary>
    public void Add(T item)
    {
        var items = _items;
        if (_count == items.Length)
        {
            var larger = new T[items.Length * 2];
            items.CopyTo(larger, 0);
            items = larger;
        }
        item.Index = _count;
        items[_count++] = item;
        Volatile.Write(ref _items, items);
    }

    public void Push(T item)
    {
        var head = Volatile.Read(ref _head);
        while (true)
        {
            item.Below = (int)(head & IndexMask) - 1;
            var seen = Interlocked.CompareExchange(ref _head, Next(head, item.Index), head);
            if (seen == head)
            {
                return;
            }
            head = seen;
        }
    }

    public bool TryPop(out T item)
    {
        var head = Volatile.Read(ref _head);
        while ((int)(head & IndexMask) - 1 is var top && top >= 0)
        {
            var candidate = Volatile.Read(ref _items)[top];
            // Read before the swap: if the item moved meanwhile, the version moved too and the swap fails.
            var below = candidate.Below;
            var seen = Interlocked.CompareExchange(ref _head, Next(head, below), head);
            if (seen == head)
            {
                item = candidate;
                return true;
            }
            head = seen;
        }
        item = null!;
        return false;
    }

    private static long Next(long head, int index) => (((head >>> 32) + 1) << 32) | (uint)(index + 1);
}
