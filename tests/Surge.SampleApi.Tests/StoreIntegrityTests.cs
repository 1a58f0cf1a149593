using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;

namespace Surge.SampleApi.Tests;

/// <summary>
/// The reason the sample API has two stores: the same concurrent order load is kept intact by the safe store and
/// corrupted by the naive JSON file store, and the server's GET /orders shows which.
/// </summary>
public sealed class StoreIntegrityTests
{
    private const int Writers = 16;
    private const int CreatesPerWriter = 40;

    [Fact]
    public async Task Safe_store_keeps_every_concurrent_order_under_the_id_its_client_received()
    {
        await using var api = await RunningApi.StartAsync(StoreKind.Safe);

        var load = await CreateOrdersConcurrentlyAsync(api.Client);
        var onServer = await api.Client.GetFromJsonAsync<List<Order>>("orders");

        Assert.Equal(Writers * CreatesPerWriter, load.CreatedIds.Count);
        Assert.Equal(0, load.Failures);
        Assert.Equal(Writers * CreatesPerWriter, load.CreatedIds.Distinct().Count());
        Assert.NotNull(onServer);
        Assert.Equal(Writers * CreatesPerWriter, onServer.Count);
        Assert.Equal(load.CreatedIds.Order(), onServer.Select(o => o.Id).Order());
    }

    [Fact]
    public async Task Json_file_store_loses_orders_or_hands_out_duplicate_ids_under_concurrent_writes()
    {
        await using var api = await RunningApi.StartAsync(StoreKind.JsonFile);

        var load = await CreateOrdersConcurrentlyAsync(api.Client);
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

        var load = await CreateOrdersConcurrentlyAsync(api.Client);

        Assert.Equal(0, load.Failures);
        Assert.Equal(Writers * CreatesPerWriter, load.CreatedIds.Count);
    }

    private static async Task<LoadResult> CreateOrdersConcurrentlyAsync(HttpClient client)
    {
        var ids = new ConcurrentBag<int>();
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            for (var i = 0; i < CreatesPerWriter; i++)
            {
                using var response = await client.PostAsJsonAsync("orders", new { itemId = 1 + (writer % 20), quantity = 1 + i });
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    ids.Add((await response.Content.ReadFromJsonAsync<Order>())!.Id);
                }
                else
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })));
        return new LoadResult([.. ids], failures);
    }

    private sealed record LoadResult(IReadOnlyList<int> CreatedIds, int Failures);
}
