using System.Collections.Immutable;
using System.Text.Json;

namespace Surge.SampleApi.Stores;

/// <summary>
/// Correct under concurrency: one writer at a time (SemaphoreSlim), ids from counters that never repeat, and data.json
/// replaced atomically (temp file, then rename). Reads are served lock-free from an immutable in-memory snapshot.
/// </summary>
internal sealed class SafeStore(string path) : IDataStore, IDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private Snapshot _snapshot = Snapshot.From(DataDocument.Empty);

    public StoreKind Kind => StoreKind.Safe;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            await using var stream = File.OpenRead(path);
            DataDocument? data;
            try
            {
                data = await JsonSerializer.DeserializeAsync(stream, SampleApiJsonContext.Instance.DataDocument, cancellationToken);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path} is not a valid sample API data file: {e.Message}", e);
            }

            _snapshot = Snapshot.From(data ?? DataDocument.Empty);
            return;
        }

        var seeded = Snapshot.From(DataDocument.Seed());
        await PersistAsync(seeded);
        _snapshot = seeded;
    }

    public ValueTask<IReadOnlyList<Item>> ListItemsAsync(int limit, CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Item>>([.. Volatile.Read(ref _snapshot).Items.Values.Take(limit)]);

    public ValueTask<Item?> FindItemAsync(int id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Volatile.Read(ref _snapshot).Items.GetValueOrDefault(id));

    public ValueTask<Item> AddItemAsync(string name, decimal price, CancellationToken cancellationToken) =>
        MutateAsync(s =>
        {
            var item = new Item(s.LastItemId + 1, name, price);
            return (s with { Items = s.Items.Add(item.Id, item), LastItemId = item.Id }, item);
        }, cancellationToken);

    public ValueTask<Item?> UpdateItemAsync(int id, string name, decimal price, CancellationToken cancellationToken) =>
        MutateAsync(s =>
        {
            if (!s.Items.ContainsKey(id))
            {
                return (s, (Item?)null);
            }

            var item = new Item(id, name, price);
            return (s with { Items = s.Items.SetItem(id, item) }, item);
        }, cancellationToken);

    public ValueTask<bool> RemoveItemAsync(int id, CancellationToken cancellationToken) =>
        MutateAsync(s => s.Items.ContainsKey(id) ? (s with { Items = s.Items.Remove(id) }, true) : (s, false), cancellationToken);

    public ValueTask<IReadOnlyList<Order>> ListOrdersAsync(CancellationToken cancellationToken) =>
        ValueTask.FromResult<IReadOnlyList<Order>>([.. Volatile.Read(ref _snapshot).Orders.Values]);

    public ValueTask<Order?> FindOrderAsync(int id, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Volatile.Read(ref _snapshot).Orders.GetValueOrDefault(id));

    public ValueTask<Order> AddOrderAsync(int itemId, int quantity, CancellationToken cancellationToken) =>
        MutateAsync(s =>
        {
            var order = new Order(s.LastOrderId + 1, itemId, quantity, DateTimeOffset.UtcNow);
            return (s with { Orders = s.Orders.Add(order.Id, order), LastOrderId = order.Id }, order);
        }, cancellationToken);

    public void Dispose() => _writeLock.Dispose();

    private async ValueTask<T> MutateAsync<T>(Func<Snapshot, (Snapshot Next, T Result)> change, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            var current = _snapshot;
            var (next, result) = change(current);
            if (!ReferenceEquals(next, current))
            {
                // Persist before publishing, so readers never see a change that is not on disk. Not cancellable:
                // a client that hangs up must not leave memory and file disagreeing.
                await PersistAsync(next);
                Volatile.Write(ref _snapshot, next);
            }

            return result;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task PersistAsync(Snapshot snapshot)
    {
        // Only the lock holder writes, so one temp name suffices; the rename makes the new file appear whole.
        var temp = path + ".tmp";
        var document = new DataDocument { Items = [.. snapshot.Items.Values], Orders = [.. snapshot.Orders.Values] };
        await using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 16 * 1024, FileOptions.Asynchronous))
        {
            await JsonSerializer.SerializeAsync(stream, document, SampleApiJsonContext.Instance.DataDocument);
        }

        File.Move(temp, path, overwrite: true);
    }

    private sealed record Snapshot(
        ImmutableSortedDictionary<int, Item> Items,
        ImmutableSortedDictionary<int, Order> Orders,
        int LastItemId,
        int LastOrderId)
    {
        public static Snapshot From(DataDocument data) => new(
            data.Items.ToImmutableSortedDictionary(i => i.Id, i => i),
            data.Orders.ToImmutableSortedDictionary(o => o.Id, o => o),
            data.Items.Select(i => i.Id).DefaultIfEmpty(0).Max(),
            data.Orders.Select(o => o.Id).DefaultIfEmpty(0).Max());
    }
}
