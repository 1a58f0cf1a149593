namespace Surge.SampleApi.Stores;

/// <summary>Items and orders, persisted on disk; the two implementations differ in how safely they write.</summary>
internal interface IDataStore
{
    StoreKind Kind { get; }

    /// <summary>Creates and seeds the data file when it does not exist yet.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> items after skipping <paramref name="offset"/>, in the store's order.</summary>
    ValueTask<IReadOnlyList<Item>> ListItemsAsync(int offset, int limit, CancellationToken cancellationToken);

    ValueTask<Item?> FindItemAsync(int id, CancellationToken cancellationToken);

    ValueTask<Item> AddItemAsync(string name, decimal price, CancellationToken cancellationToken);

    /// <summary>Null when no item has that id.</summary>
    ValueTask<Item?> UpdateItemAsync(int id, string name, decimal price, CancellationToken cancellationToken);

    ValueTask<bool> RemoveItemAsync(int id, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="limit"/> orders after skipping <paramref name="offset"/>, in the store's order.</summary>
    ValueTask<IReadOnlyList<Order>> ListOrdersAsync(int offset, int limit, CancellationToken cancellationToken);

    ValueTask<Order?> FindOrderAsync(int id, CancellationToken cancellationToken);

    ValueTask<Order> AddOrderAsync(int itemId, int quantity, CancellationToken cancellationToken);
}
