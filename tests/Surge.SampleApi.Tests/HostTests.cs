using System.Net;

namespace Surge.SampleApi.Tests;

public sealed class HostTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    [InlineData("192.168.1.10")]
    [InlineData("example.com")]
    [InlineData("*")]
    [InlineData("")]
    public async Task A_host_that_is_not_loopback_is_refused(string host)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => SampleApiHost.StartAsync(new SampleApiOptions { Host = host }));

        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task A_loopback_host_is_served_on_127_0_0_1(string host)
    {
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions { Host = host });
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        Assert.Equal("127.0.0.1", api.BaseAddress.Host);
        Assert.Equal("/", api.BaseAddress.AbsolutePath);
        Assert.NotEqual(0, api.BaseAddress.Port);
        Assert.Equal("ok", await client.GetStringAsync("health"));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(65536)]
    public async Task A_port_out_of_range_is_refused(int port)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => SampleApiHost.StartAsync(new SampleApiOptions { Port = port }));
    }

    [Fact]
    public async Task A_port_already_in_use_fails_the_start()
    {
        await using var first = await SampleApiHost.StartAsync(new SampleApiOptions());

        await Assert.ThrowsAnyAsync<IOException>(
            () => SampleApiHost.StartAsync(new SampleApiOptions { Port = first.BaseAddress.Port }));
    }

    [Theory]
    [InlineData(StoreKind.Sqlite, "data.db")]
    [InlineData(StoreKind.JsonFile, "data.json")]
    public async Task A_given_data_directory_is_kept_after_dispose_and_holds_the_store_file(StoreKind store, string file)
    {
        var directory = Path.Combine(Path.GetTempPath(), "surge-sampleapi-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            await using (await SampleApiHost.StartAsync(new SampleApiOptions { Store = store, DataDirectory = directory }))
            {
            }

            Assert.True(File.Exists(Path.Combine(directory, file)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task After_dispose_the_port_no_longer_answers()
    {
        var api = await SampleApiHost.StartAsync(new SampleApiOptions());
        using var client = new HttpClient { BaseAddress = api.BaseAddress };
        Assert.Equal("ok", await client.GetStringAsync("health"));

        await api.DisposeAsync();
        await api.DisposeAsync();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetStringAsync("health"));
    }
}
