using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Surge.SampleApi.Tests;

public sealed class StatsTests
{
    [Fact]
    public async Task Stats_count_exactly_the_requests_sent_and_not_the_stats_requests_themselves()
    {
        await using var api = await RunningApi.StartAsync();
        var sent = new Dictionary<string, long>
        {
            ["GET /health"] = 7,
            ["GET /items"] = 5,
            ["GET /items/{id}"] = 9,
            ["POST /orders"] = 4,
            ["GET /status/{code}"] = 3,
        };

        for (var i = 0; i < 7; i++)
        {
            (await api.Client.GetAsync("health")).EnsureSuccessStatusCode();
        }

        for (var i = 0; i < 5; i++)
        {
            (await api.Client.GetAsync("items?limit=3")).EnsureSuccessStatusCode();
        }

        for (var i = 1; i <= 9; i++)
        {
            (await api.Client.GetAsync($"items/{i}")).EnsureSuccessStatusCode();
        }

        for (var i = 0; i < 4; i++)
        {
            (await api.Client.PostAsJsonAsync("orders", new { itemId = 2, quantity = 1 })).EnsureSuccessStatusCode();
        }

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("status/404")).StatusCode);
        }

        var first = await GetStatsAsync(api.Client);
        var second = await GetStatsAsync(api.Client);

        var total = sent.Values.Sum();
        Assert.Equal(28, total);
        Assert.Equal(total, first.Requests);
        Assert.Equal(total, second.Requests);
        Assert.Equal(total, api.Host.RequestCount);
        Assert.Equal(sent, first.ByRoute);
        Assert.Equal("sqlite", first.Store);
    }

    [Fact]
    public async Task Concurrent_requests_are_all_counted()
    {
        await using var api = await RunningApi.StartAsync();
        const int clients = 8;
        const int perClient = 50;

        await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            for (var i = 0; i < perClient; i++)
            {
                (await api.Client.GetAsync("items/1")).EnsureSuccessStatusCode();
            }
        }));

        var stats = await GetStatsAsync(api.Client);
        Assert.Equal(clients * perClient, stats.Requests);
        Assert.Equal(clients * perClient, stats.ByRoute["GET /items/{id}"]);
    }

    [Fact]
    public async Task Reset_zeroes_the_counters_and_counting_resumes_from_zero()
    {
        await using var api = await RunningApi.StartAsync();
        for (var i = 0; i < 3; i++)
        {
            (await api.Client.GetAsync("health")).EnsureSuccessStatusCode();
        }

        Assert.Equal(HttpStatusCode.NoContent, (await api.Client.PostAsync("stats/reset", content: null)).StatusCode);
        var afterReset = await GetStatsAsync(api.Client);
        (await api.Client.GetAsync("items/2")).EnsureSuccessStatusCode();
        var afterOne = await GetStatsAsync(api.Client);

        Assert.Equal(0, afterReset.Requests);
        Assert.Empty(afterReset.ByRoute);
        Assert.Equal(1, afterOne.Requests);
        Assert.Equal(new Dictionary<string, long> { ["GET /items/{id}"] = 1 }, afterOne.ByRoute);
    }

    [Fact]
    public async Task Requests_to_unknown_routes_are_counted_too()
    {
        await using var api = await RunningApi.StartAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.GetAsync("no/such/thing")).StatusCode);

        var stats = await GetStatsAsync(api.Client);
        Assert.Equal(1, stats.Requests);
        Assert.Equal(new Dictionary<string, long> { ["GET (no route)"] = 1 }, stats.ByRoute);
    }

    [Fact]
    public async Task Stats_name_the_json_file_store_as_the_command_line_does()
    {
        await using var api = await RunningApi.StartAsync(StoreKind.JsonFile);

        var stats = await GetStatsAsync(api.Client);

        Assert.Equal("json-file", stats.Store);
        Assert.Equal(StoreKind.JsonFile, api.Host.Store);
    }

    private static async Task<StatsBody> GetStatsAsync(HttpClient client)
    {
        var json = await client.GetStringAsync("stats");
        return JsonSerializer.Deserialize<StatsBody>(json, JsonSerializerOptions.Web)!;
    }

    private sealed record StatsBody(long Requests, Dictionary<string, long> ByRoute, string Store);
}
