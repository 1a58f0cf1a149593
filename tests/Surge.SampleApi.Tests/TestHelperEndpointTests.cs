using System.Net;
using System.Net.Http.Json;

namespace Surge.SampleApi.Tests;

public sealed class TestHelperEndpointTests
{
    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    [InlineData(302)]
    [InlineData(404)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Status_answers_with_the_code_asked_for(int code)
    {
        await using var api = await RunningApi.StartAsync();
        using var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = api.Host.BaseAddress };

        using var response = await client.GetAsync($"status/{code}");

        Assert.Equal(code, (int)response.StatusCode);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(600)]
    public async Task Status_outside_200_to_599_is_400(int code)
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.GetAsync($"status/{code}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(65_536)]
    [InlineData(100_001)]
    [InlineData(10 * 1024 * 1024)]
    public async Task Bytes_returns_exactly_n_bytes(int n)
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.GetAsync($"bytes/{n}");
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(n, response.Content.Headers.ContentLength);
        Assert.Equal(n, body.Length);
    }

    [Fact]
    public async Task Bytes_over_10_MB_is_400()
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.GetAsync($"bytes/{(10 * 1024 * 1024) + 1}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Delay_answers_200_with_the_delay_it_waited()
    {
        await using var api = await RunningApi.StartAsync();

        var body = await api.Client.GetFromJsonAsync<DelayBody>("delay/30");

        Assert.Equal(30, body!.DelayedMs);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public async Task Delay_outside_0_to_10000_ms_is_400(int ms)
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.GetAsync($"delay/{ms}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Health_is_200_ok()
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.GetAsync("health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", await response.Content.ReadAsStringAsync());
    }

    private sealed record DelayBody(int DelayedMs);
}
