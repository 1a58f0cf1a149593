using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Surge.SampleApi.Tests;

public sealed class ItemAndOrderTests
{
    public static TheoryData<StoreKind> Stores => [StoreKind.Sqlite, StoreKind.JsonFile];

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task Twenty_items_are_seeded_with_ids_1_to_20(StoreKind store)
    {
        await using var api = await RunningApi.StartAsync(store);

        var all = await api.Client.GetFromJsonAsync<List<Item>>("items");
        var firstFive = await api.Client.GetFromJsonAsync<List<Item>>("items?limit=5");
        var first = await api.Client.GetFromJsonAsync<Item>("items/1");

        Assert.NotNull(all);
        Assert.Equal(Enumerable.Range(1, 20), all.Select(i => i.Id));
        Assert.Equal(Enumerable.Range(1, 5), firstFive!.Select(i => i.Id));
        Assert.Equal(all[0], first);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task An_item_can_be_created_read_updated_and_deleted(StoreKind store)
    {
        await using var api = await RunningApi.StartAsync(store);

        using var created = await api.Client.PostAsJsonAsync("items", new { name = "Mug", price = 9.5m });
        var item = await created.Content.ReadFromJsonAsync<Item>();
        using var updated = await api.Client.PutAsJsonAsync($"items/{item!.Id}", new { name = "Big mug", price = 11m });
        var afterUpdate = await api.Client.GetFromJsonAsync<Item>($"items/{item.Id}");
        using var deleted = await api.Client.DeleteAsync($"items/{item.Id}");
        using var afterDelete = await api.Client.GetAsync($"items/{item.Id}");
        using var deletedAgain = await api.Client.DeleteAsync($"items/{item.Id}");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(new Item(21, "Mug", 9.5m), item);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal(new Item(21, "Big mug", 11m), afterUpdate);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, afterDelete.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
    }

    [Fact]
    public async Task An_absent_item_or_order_is_404()
    {
        await using var api = await RunningApi.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("items/999")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.PutAsJsonAsync("items/999", new { name = "x", price = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("orders/1")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Stores))]
    public async Task A_created_order_is_201_and_can_be_read_back(StoreKind store)
    {
        await using var api = await RunningApi.StartAsync(store);
        var before = DateTimeOffset.UtcNow;

        using var response = await api.Client.PostAsJsonAsync("orders", new { itemId = 3, quantity = 2 });
        var order = await response.Content.ReadFromJsonAsync<Order>();
        var readBack = await api.Client.GetFromJsonAsync<Order>($"orders/{order!.Id}");
        var all = await api.Client.GetFromJsonAsync<List<Order>>("orders");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal((1, 3, 2), (order.Id, order.ItemId, order.Quantity));
        Assert.InRange(order.CreatedAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.Equal(order, readBack);
        Assert.Equal([order], all!);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("{}")]
    [InlineData("{\"itemId\": 1}")]
    [InlineData("{\"itemId\": 0, \"quantity\": 1}")]
    [InlineData("{\"itemId\": 1, \"quantity\": 0}")]
    [InlineData("{\"itemId\": 1, \"quantity\": 1001}")]
    [InlineData("{\"itemId\": \"one\", \"quantity\": 1}")]
    public async Task A_bad_order_is_400_with_a_json_error_and_creates_nothing(string body)
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.PostAsync("orders", new StringContent(body, Encoding.UTF8, "application/json"));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var orders = await api.Client.GetFromJsonAsync<List<Order>>("orders");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("error").GetString()));
        Assert.Empty(orders!);
    }

    [Theory]
    [InlineData("{\"price\": 1}")]
    [InlineData("{\"name\": \" \", \"price\": 1}")]
    [InlineData("{\"name\": \"Mug\"}")]
    [InlineData("{\"name\": \"Mug\", \"price\": -1}")]
    public async Task A_bad_item_is_400_with_a_json_error(string body)
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.PostAsync("items", new StringContent(body, Encoding.UTF8, "application/json"));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(error.RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task The_sqlite_store_keeps_data_and_continues_ids_across_restarts_on_the_same_directory()
    {
        var directory = Directory.CreateTempSubdirectory("surge-sampleapi-test-").FullName;
        try
        {
            await using (var first = await RunningApi.StartAsync(StoreKind.Sqlite, directory))
            {
                for (var i = 0; i < 3; i++)
                {
                    (await first.Client.PostAsJsonAsync("orders", new { itemId = 1, quantity = 1 })).EnsureSuccessStatusCode();
                }
            }

            Assert.True(File.Exists(Path.Combine(directory, "data.db")));
            await using var second = await RunningApi.StartAsync(StoreKind.Sqlite, directory);
            using var response = await second.Client.PostAsJsonAsync("orders", new { itemId = 1, quantity = 1 });
            var fourth = await response.Content.ReadFromJsonAsync<Order>();
            var all = await second.Client.GetFromJsonAsync<List<Order>>("orders");

            Assert.Equal(4, fourth!.Id);
            Assert.Equal([1, 2, 3, 4], all!.Select(o => o.Id));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
