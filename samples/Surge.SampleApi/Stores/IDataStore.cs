namespace Surge.SampleApi.Stores;

/// <summary>Items and orders, persisted in data.json; the two implementations differ only in how safely they write.</summary>
internal interface IDataStore
{
    StoreKind Kind { get; }

    /// <summary>Seeds data.json when it does not exist yet.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<Item>> ListItemsAsync(int limit, CancellationToken cancellationToken);

    ValueTask<Item?> FindItemAsync(int id, CancellationToken cancellationToken);

    ValueTask<Item> AddItemAsync(string name, decimal price, CancellationToken cancellationToken);

    /// <summary>Null when no item has that id.</summary>
    ValueTask<Item?> UpdateItemAsync(int id, string name, decimal price, CancellationToken cancellationToken);

    ValueTask<bool> RemoveItemAsync(int id, CancellationToken cancellationToken);

    ValueTask<IReadOnlyList<Order>> ListOrdersAsync(CancellationToken cancellationToken);

    ValueTask<Order?> FindOrderAsync(int id, CancellationToken cancellationToken);

    ValueTask<Order> AddOrderAsync(int itemId, int quantity, CancellationToken cancellationToken);
}
