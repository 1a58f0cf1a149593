using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace Surge.SampleApi.Tests;

/// <summary>
/// The reason the sample API has two stores: the same concurrent write load is kept whole by the SQLite store and
/// corrupted by the naive JSON file store. The ground truth is the set of ids the server acknowledged with a 201,
/// held against the set GET /orders lists.
/// </summary>
public sealed class StoreIntegrityTests
{
    private const int Writers = 16;
    private const int CreatesPerWriter = 40;

    [Fact]
    public async Task Sqlite_store_lists_exactly_the_orders_it_acknowledged_under_concurrent_writes()
    {
        await using var api = await RunningApi.StartAsync(StoreKind.Sqlite);

        var load = await CreateOrdersConcurrentlyAsync(api.Client, readBack: true);
        var onServer = await api.Client.GetFromJsonAsync<List<Order>>("orders");

        Assert.Equal(0, load.Failures);
        Assert.Equal(Writers * CreatesPerWriter, load.CreatedIds.Count);
        Assert.Equal(Writers * CreatesPerWriter, load.CreatedIds.Distinct().Count());
        Assert.Equal(0, load.NotVisibleAfterAcknowledgement);
        Assert.Equal(load.CreatedIds.Order(), onServer!.Select(o => o.Id).Order());
    }

    [Fact]
    public async Task Sqlite_store_never_hands_out_an_id_twice_even_when_records_are_deleted_meanwhile()
    {
        await using var api = await RunningApi.StartAsync(StoreKind.Sqlite);
        var kept = new ConcurrentBag<int>();
        var deleted = new ConcurrentBag<int>();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                using var created = await api.Client.PostAsJsonAsync("items", new { name = $"w{writer} #{i}", price = 1m });
                var item = (await created.Content.ReadFromJsonAsync<Item>())!;
                if (i % 2 == 0)
                {
                    using var gone = await api.Client.DeleteAsync($"items/{item.Id}");
                    Assert.Equal(HttpStatusCode.NoContent, gone.StatusCode);
                    deleted.Add(item.Id);
                }
                else
                {
                    kept.Add(item.Id);
                }
            }
        })));
        var listed = await api.Client.GetFromJsonAsync<List<Item>>("items?limit=1000");

        int[] handedOut = [.. kept, .. deleted];
        Assert.Equal(160, handedOut.Length);
        Assert.Equal(handedOut.Length, handedOut.Distinct().Count());
        Assert.All(handedOut, id => Assert.True(id > 20, $"id {id} repeats a seeded item's id"));
        Assert.Equal(Enumerable.Range(1, 20).Concat(kept.Order()), listed!.Select(i => i.Id));
    }

    [Fact]
    public async Task Every_order_the_sqlite_store_acknowledged_is_still_there_after_a_restart_and_the_database_is_in_wal_mode()
    {
        var directory = Directory.CreateTempSubdirectory("surge-sampleapi-test-").FullName;
        try
        {
            LoadResult load;
            await using (var first = await RunningApi.StartAsync(StoreKind.Sqlite, directory))
            {
                load = await CreateOrdersConcurrentlyAsync(first.Client, readBack: false);
            }

            await using var second = await RunningApi.StartAsync(StoreKind.Sqlite, directory);
            var onServer = await second.Client.GetFromJsonAsync<List<Order>>("orders");

            Assert.Equal(0, load.Failures);
            Assert.Equal(load.CreatedIds.Order(), onServer!.Select(o => o.Id).Order());
            Assert.Equal("wal", JournalMode(Path.Combine(directory, "data.db")));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Json_file_store_loses_orders_or_hands_out_duplicate_ids_under_concurrent_writes()
    {
        await using var api = await RunningApi.StartAsync(StoreKind.JsonFile);

        var load = await CreateOrdersConcurrentlyAsync(api.Client, readBack: false);
        var onServer = await api.Client.GetFromJsonAsync<List<Order>>("orders");

        Assert.NotNull(onServer);
        var lostOrders = load.CreatedIds.Count - onServer.Count;
        var duplicateIds = load.CreatedIds.Count - load.CreatedIds.Distinct().Count();
        Assert.True(
            lostOrders > 0 || duplicateIds > 0,
            $"expected corruption: {load.CreatedIds.Count} created, {onServer.Count} on the server, {duplicateIds} duplicate ids");
    }

    [Fact]
    public async Task Json_file_store_answers_every_concurrent_create_with_201_rather_than_500()
    {
        await using var api = await RunningApi.StartAsync(StoreKind.JsonFile);

        var load = await CreateOrdersConcurrentlyAsync(api.Client, readBack: false);

        Assert.Equal(0, load.Failures);
        Assert.Equal(Writers * CreatesPerWriter, load.CreatedIds.Count);
    }

    private static string JournalMode(string databaseFile)
    {
        using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        return (string)command.ExecuteScalar()!;
    }

    /// <param name="readBack">Read each acknowledged order back at once: an acknowledged write must be visible.</param>
    private static async Task<LoadResult> CreateOrdersConcurrentlyAsync(HttpClient client, bool readBack)
    {
        var ids = new ConcurrentBag<int>();
        var failures = 0;
        var notVisible = 0;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < CreatesPerWriter; i++)
            {
                using var response = await client.PostAsJsonAsync("orders", new { itemId = 1 + (writer % 20), quantity = 1 + i });
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                var id = (await response.Content.ReadFromJsonAsync<Order>())!.Id;
                ids.Add(id);
                if (readBack)
                {
                    using var read = await client.GetAsync($"orders/{id}");
                    if (read.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref notVisible);
                    }
                }
            }
        })));
        return new LoadResult([.. ids], failures, notVisible);
    }

    private sealed record LoadResult(IReadOnlyList<int> CreatedIds, int Failures, int NotVisibleAfterAcknowledgement);
}
