using System.Collections.Concurrent;

namespace Surge.SampleApi.Hosting;

/// <summary>One cart per user, in memory.</summary>
internal sealed class Carts
{
    private readonly ConcurrentDictionary<string, Cart> _byUser = new(StringComparer.Ordinal);

    public CartView View(string username) =>
        _byUser.TryGetValue(username, out var cart) ? cart.View() : new CartView([], 0);

    public CartView Add(string username, int itemId, int quantity) =>
        _byUser.GetOrAdd(username, static _ => new Cart()).Add(itemId, quantity);

    private sealed class Cart
    {
        private readonly Lock _lock = new();
        private readonly SortedDictionary<int, long> _quantityByItem = [];

        public CartView Add(int itemId, int quantity)
        {
            lock (_lock)
            {
                _quantityByItem[itemId] = _quantityByItem.GetValueOrDefault(itemId) + quantity;
                return Snapshot();
            }
        }

        public CartView View()
        {
            lock (_lock)
            {
                return Snapshot();
            }
        }

        private CartView Snapshot() =>
            new([.. _quantityByItem.Select(p => new CartLine(p.Key, p.Value))], _quantityByItem.Values.Sum());
    }
}
