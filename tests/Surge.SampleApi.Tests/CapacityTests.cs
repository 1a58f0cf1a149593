using System.Net;
using System.Net.Http.Json;

namespace Surge.SampleApi.Tests;

/// <summary>
/// GET /capacity has a capacity known in advance, concurrency / service time. The server measures itself, so these
/// tests check its own counts (requests in service at once, served, refused) against what the clients saw.
/// </summary>
public sealed class CapacityTests
{
    [Fact]
    public async Task Never_more_requests_are_served_at_once_than_the_concurrency_so_throughput_stays_within_the_analytic_capacity()
    {
        var capacity = new CapacityOptions { Concurrency = 4, ServiceTime = TimeSpan.FromMilliseconds(20), Queue = 64 };
        await using var api = await StartAsync(capacity);
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        var statuses = await HammerAsync(client, clients: 16, requestsEach: 15);
        var stats = (await client.GetFromJsonAsync<StatsBody>("capacity/stats"))!;

        Assert.Equal(240, statuses[HttpStatusCode.OK]);
        Assert.Equal((240, 0), (stats.Served, stats.Rejected));
        Assert.Equal(200, stats.CapacityPerSecond, precision: 9);
        // 16 clients against 4 slots keep every slot busy, and the server never lets a fifth request in: with at most
        // 4 in service, each for 20 ms, no span of time can hold more than 200 services a second.
        Assert.Equal(4, stats.MaxInService);
        Assert.Equal(0, stats.InService);
        Assert.InRange(stats.ServedPerSecond, 1, stats.CapacityPerSecond * (1 + 1e-9));
    }

    [Fact]
    public async Task With_every_slot_busy_and_no_queue_a_request_is_refused_with_503_and_each_is_either_served_or_refused()
    {
        await using var api = await StartAsync(new CapacityOptions { Concurrency = 2, ServiceTime = TimeSpan.FromMilliseconds(50), Queue = 0 });
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        var statuses = await HammerAsync(client, clients: 12, requestsEach: 5);
        var stats = (await client.GetFromJsonAsync<StatsBody>("capacity/stats"))!;

        Assert.Equal(60, statuses.Values.Sum());
        Assert.Equal(statuses.GetValueOrDefault(HttpStatusCode.OK), stats.Served);
        Assert.Equal(statuses.GetValueOrDefault(HttpStatusCode.ServiceUnavailable), stats.Rejected);
        Assert.True(stats.Rejected > 0);
        Assert.InRange(stats.MaxInService, 1, 2);
    }

    [Fact]
    public async Task A_refusal_says_why_in_a_json_error()
    {
        await using var api = await StartAsync(new CapacityOptions { Concurrency = 1, ServiceTime = TimeSpan.FromMilliseconds(300), Queue = 0 });
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        using var refused = await RefusalWhileTheSlotIsBusyAsync(client);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("over capacity: 1 requests in service and 0 waiting", (await refused.Content.ReadFromJsonAsync<ErrorBody>())!.Error);
    }

    [Fact]
    public async Task Stats_reset_zeroes_the_capacity_counters_too()
    {
        await using var api = await StartAsync(new CapacityOptions { ServiceTime = TimeSpan.FromMilliseconds(1) });
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        await HammerAsync(client, clients: 2, requestsEach: 3);

        (await client.PostAsync("stats/reset", content: null)).EnsureSuccessStatusCode();
        var stats = (await client.GetFromJsonAsync<StatsBody>("capacity/stats"))!;

        Assert.Equal((0, 0, 0), (stats.Served, stats.Rejected, stats.MaxInService));
    }

    private static Task<SampleApiHost> StartAsync(CapacityOptions capacity) =>
        SampleApiHost.StartAsync(new SampleApiOptions { Capacity = capacity });

    /// <summary>Each client sends its requests one after another; returns how many got each status.</summary>
    private static async Task<Dictionary<HttpStatusCode, int>> HammerAsync(HttpClient client, int clients, int requestsEach)
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var seen = new List<HttpStatusCode>();
            for (var i = 0; i < requestsEach; i++)
            {
                using var response = await client.GetAsync("capacity");
                seen.Add(response.StatusCode);
            }

            return seen;
        })));
        return statuses.SelectMany(s => s).GroupBy(s => s).ToDictionary(g => g.Key, g => g.Count());
    }

    /// <summary>
    /// Occupies the one slot, waits until the server says it is in service, and asks again; tries a few times in case
    /// a slow machine let the service end in between.
    /// </summary>
    private static async Task<HttpResponseMessage> RefusalWhileTheSlotIsBusyAsync(HttpClient client)
    {
        for (var attempt = 1; ; attempt++)
        {
            var busy = client.GetAsync("capacity");
            for (var poll = 0; poll < 100 && (await client.GetFromJsonAsync<StatsBody>("capacity/stats"))!.InService == 0; poll++)
            {
                await Task.Delay(5);
            }

            var second = await client.GetAsync("capacity");
            (await busy).Dispose();
            if (second.StatusCode == HttpStatusCode.ServiceUnavailable || attempt == 5)
            {
                return second;
            }

            second.Dispose();
        }
    }

    private sealed record StatsBody(
        int Concurrency, double ServiceTimeMs, int Queue, double CapacityPerSecond, long Served, long Rejected, int InService,
        int MaxInService, double MeanLateMs, double ServedPerSecond);

    private sealed record ErrorBody(string Error);
}
