using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Surge.SampleApi.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task The_cart_is_401_without_a_token_and_works_with_one_from_login()
    {
        await using var api = await RunningApi.StartAsync();

        using var anonymousGet = await api.Client.GetAsync("cart");
        using var anonymousPost = await api.Client.PostAsJsonAsync("cart", new { itemId = 1, quantity = 1 });
        var token = await LoginAsync(api.Client, "ada");
        using var added = await SendAsync(api.Client, HttpMethod.Post, "cart", token, new { itemId = 4, quantity = 2 });
        using var addedAgain = await SendAsync(api.Client, HttpMethod.Post, "cart", token, new { itemId = 4, quantity = 3 });
        using var read = await SendAsync(api.Client, HttpMethod.Get, "cart", token);
        using var cart = JsonDocument.Parse(await read.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousGet.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymousPost.StatusCode);
        Assert.Equal("Bearer", Assert.Single(anonymousGet.Headers.WwwAuthenticate).Scheme);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal(HttpStatusCode.Created, addedAgain.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var line = Assert.Single(cart.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(4, line.GetProperty("itemId").GetInt32());
        Assert.Equal(5, line.GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task Each_user_has_their_own_cart()
    {
        await using var api = await RunningApi.StartAsync();
        var ada = await LoginAsync(api.Client, "ada");
        var bob = await LoginAsync(api.Client, "bob");

        using var _ = await SendAsync(api.Client, HttpMethod.Post, "cart", ada, new { itemId = 1, quantity = 1 });
        using var bobsCart = await SendAsync(api.Client, HttpMethod.Get, "cart", bob);
        using var body = JsonDocument.Parse(await bobsCart.Content.ReadAsStringAsync());

        Assert.NotEqual(ada, bob);
        Assert.Equal(0, body.RootElement.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("ada", "wrong")]
    [InlineData("", "secret")]
    [InlineData("   ", "secret")]
    public async Task Login_with_a_wrong_password_or_no_username_is_401(string username, string password)
    {
        await using var api = await RunningApi.StartAsync();

        using var response = await api.Client.PostAsJsonAsync("login", new { username, password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("Bearer nonsense")]
    [InlineData("Bearer YWRh.AAAA")]
    [InlineData("Basic YWRhOnNlY3JldA==")]
    public async Task A_forged_or_malformed_token_is_401(string authorization)
    {
        await using var api = await RunningApi.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "cart");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_token_from_another_host_is_not_accepted()
    {
        await using var first = await RunningApi.StartAsync();
        await using var second = await RunningApi.StartAsync();
        var token = await LoginAsync(first.Client, "ada");

        using var response = await SendAsync(second.Client, HttpMethod.Get, "cart", token);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task<string> LoginAsync(HttpClient client, string username)
    {
        using var response = await client.PostAsJsonAsync("login", new { username, password = "secret" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("token").GetString()!;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, string token, object? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Content = json is null ? null : JsonContent.Create(json);
        return await client.SendAsync(request);
    }
}
