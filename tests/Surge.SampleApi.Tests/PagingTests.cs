using System.Net;
using System.Net.Http.Json;

namespace Surge.SampleApi.Tests;

public sealed class PagingTests
{
    [Theory]
    [MemberData(nameof(ItemAndOrderTests.Stores), MemberType = typeof(ItemAndOrderTests))]
    public async Task Following_the_link_headers_of_paged_orders_lists_every_order_once_in_pages_of_the_limit(StoreKind store)
    {
        await using var api = await RunningApi.StartAsync(store);
        for (var i = 0; i < 23; i++)
        {
            (await api.Client.PostAsJsonAsync("orders", new { itemId = 1, quantity = 1 })).EnsureSuccessStatusCode();
        }

        var pageSizes = new List<int>();
        var ids = new List<int>();
        for (var next = "orders?page=1&limit=10"; next is not null;)
        {
            using var response = await api.Client.GetAsync(next);
            var page = (await response.Content.ReadFromJsonAsync<List<Order>>())!;
            pageSizes.Add(page.Count);
            ids.AddRange(page.Select(o => o.Id));
            next = response.Headers.TryGetValues("Link", out var link) ? NextOf(link.Single()) : null;
        }

        Assert.Equal([10, 10, 3], pageSizes);
        Assert.Equal(Enumerable.Range(1, 23), ids);
    }

    [Fact]
    public async Task Orders_without_page_or_limit_are_one_list_with_no_link()
    {
        await using var api = await RunningApi.StartAsync();
        for (var i = 0; i < 150; i++)
        {
            (await api.Client.PostAsJsonAsync("orders", new { itemId = 1, quantity = 1 })).EnsureSuccessStatusCode();
        }

        using var all = await api.Client.GetAsync("orders");
        using var firstPage = await api.Client.GetAsync("orders?page=1");

        Assert.Equal(150, (await all.Content.ReadFromJsonAsync<List<Order>>())!.Count);
        Assert.False(all.Headers.Contains("Link"));
        Assert.Equal(100, (await firstPage.Content.ReadFromJsonAsync<List<Order>>())!.Count);
        Assert.Equal("</orders?page=2&limit=100>; rel=\"next\"", firstPage.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task Items_page_by_page_and_the_last_page_has_no_link()
    {
        await using var api = await RunningApi.StartAsync();

        using var second = await api.Client.GetAsync("items?page=2&limit=8");
        using var third = await api.Client.GetAsync("items?page=3&limit=8");
        using var beyond = await api.Client.GetAsync("items?page=4&limit=8");

        Assert.Equal(Enumerable.Range(9, 8), (await second.Content.ReadFromJsonAsync<List<Item>>())!.Select(i => i.Id));
        Assert.Equal("</items?page=3&limit=8>; rel=\"next\"", second.Headers.GetValues("Link").Single());
        Assert.Equal(Enumerable.Range(17, 4), (await third.Content.ReadFromJsonAsync<List<Item>>())!.Select(i => i.Id));
        Assert.False(third.Headers.Contains("Link"));
        Assert.Empty((await beyond.Content.ReadFromJsonAsync<List<Item>>())!);
    }

    [Theory]
    [InlineData("items?page=0", "page must be between 1 and 1000000")]
    [InlineData("orders?page=-1&limit=5", "page must be between 1 and 1000000")]
    [InlineData("orders?limit=0", "limit must be between 1 and 1000")]
    [InlineData("items?limit=1001", "limit must be between 1 and 1000")]
    public async Task A_page_or_limit_out_of_range_is_a_400_that_names_it(string url, string error)
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await response.Content.ReadFromJsonAsync<ErrorBody>())!.Error);
    }

    private static string NextOf(string link)
    {
        Assert.EndsWith(">; rel=\"next\"", link, StringComparison.Ordinal);
        return link[2..link.IndexOf('>', StringComparison.Ordinal)];
    }

    private sealed record ErrorBody(string Error);
}
