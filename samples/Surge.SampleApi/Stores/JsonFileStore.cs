using System.Text.Json;

namespace Surge.SampleApi.Stores;

/// <summary>
/// Deliberately naive, modelled on an Express server that keeps its data in data.json: every write reads the file,
/// assigns max(id)+1, appends and writes the whole file back, with no lock and no atomic replace. Two concurrent
/// writers read the same state, hand out the same id, and the last one to write wins, so records are lost.
/// Under heavy concurrent writes a reader often catches the file empty, and its write then persists an almost empty
/// database: ids restart from 1 and even the seeded items vanish. That is what such a server really does, and the
/// failure Surge's integrity checks are meant to expose; do not "fix" it.
/// </summary>
internal sealed class JsonFileStore(string path) : IDataStore
{
    // No sharing restrictions, like Node's fs: readers and writers never block or fail on each other.
    private const FileShare ShareEverything = FileShare.ReadWrite | FileShare.Delete;

    public StoreKind Kind => StoreKind.JsonFile;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            await WriteAsync(DataDocument.Seed());
        }
    }

    public async ValueTask<IReadOnlyList<Item>> ListItemsAsync(int offset, int limit, CancellationToken cancellationToken) =>
        [.. (await ReadAsync(cancellationToken)).Items.Skip(offset).Take(limit)];

    public async ValueTask<Item?> FindItemAsync(int id, CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken)).Items.FirstOrDefault(i => i.Id == id);

    public async ValueTask<Item> AddItemAsync(string name, decimal price, CancellationToken cancellationToken)
    {
        var data = await ReadAsync(cancellationToken);
        var item = new Item(NextId(data.Items.Select(i => i.Id)), name, price);
        await WriteAsync(data with { Items = [.. data.Items, item] });
        return item;
    }

    public async ValueTask<Item?> UpdateItemAsync(int id, string name, decimal price, CancellationToken cancellationToken)
    {
        var data = await ReadAsync(cancellationToken);
        if (!data.Items.Any(i => i.Id == id))
        {
            return null;
        }

        var updated = new Item(id, name, price);
        await WriteAsync(data with { Items = [.. data.Items.Select(i => i.Id == id ? updated : i)] });
        return updated;
    }

    public async ValueTask<bool> RemoveItemAsync(int id, CancellationToken cancellationToken)
    {
        var data = await ReadAsync(cancellationToken);
        if (!data.Items.Any(i => i.Id == id))
        {
            return false;
        }

        await WriteAsync(data with { Items = [.. data.Items.Where(i => i.Id != id)] });
        return true;
    }

    /// <remarks>In file order, duplicates and all: the list shows what the file holds.</remarks>
    public async ValueTask<IReadOnlyList<Order>> ListOrdersAsync(int offset, int limit, CancellationToken cancellationToken) =>
        [.. (await ReadAsync(cancellationToken)).Orders.Skip(offset).Take(limit)];

    public async ValueTask<Order?> FindOrderAsync(int id, CancellationToken cancellationToken) =>
        (await ReadAsync(cancellationToken)).Orders.FirstOrDefault(o => o.Id == id);

    public async ValueTask<Order> AddOrderAsync(int itemId, int quantity, CancellationToken cancellationToken)
    {
        var data = await ReadAsync(cancellationToken);
        var order = new Order(NextId(data.Orders.Select(o => o.Id)), itemId, quantity, DateTimeOffset.UtcNow);
        await WriteAsync(data with { Orders = [.. data.Orders, order] });
        return order;
    }

    private static int NextId(IEnumerable<int> ids) => ids.DefaultIfEmpty(0).Max() + 1;

    private async Task<DataDocument> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = new FileStream(
                path, FileMode.Open, FileAccess.Read, ShareEverything, 16 * 1024, FileOptions.Asynchronous);
            return await JsonSerializer.DeserializeAsync(stream, SampleApiJsonContext.Instance.DataDocument, cancellationToken)
                ?? DataDocument.Empty;
        }
        catch (Exception e) when (e is JsonException or FileNotFoundException)
        {
            // Another request is mid-write: the file is truncated, half written, or has a longer write's tail behind a
            // shorter one. The naive server does `try { JSON.parse(raw) } catch { data = { items: [], orders: [] } }`
            // and carries on, so we answer from an empty document too, and the next write persists that loss.
            return DataDocument.Empty;
        }
    }

    /// <remarks>Not cancellable, like fs.writeFile: a client hanging up must not leave the file truncated.</remarks>
    private async Task WriteAsync(DataDocument data)
    {
        // Like Node's fs.writeFile: the content is ready before the file is opened, then FileMode.Create truncates it
        // in place and one write fills it. A reader in between sees an empty or partial file.
        var bytes = JsonSerializer.SerializeToUtf8Bytes(data, SampleApiJsonContext.Instance.DataDocument);
        await using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, ShareEverything, 1, FileOptions.Asynchronous);
        await stream.WriteAsync(bytes);
    }
}
