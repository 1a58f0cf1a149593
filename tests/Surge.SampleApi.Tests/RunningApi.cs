namespace Surge.SampleApi.Tests;

/// <summary>A started sample API and a client pointed at it; disposing stops both.</summary>
internal sealed class RunningApi : IAsyncDisposable
{
    private RunningApi(SampleApiHost host)
    {
        Host = host;
        Client = new HttpClient { BaseAddress = host.BaseAddress };
    }

    public SampleApiHost Host { get; }

    public HttpClient Client { get; }

    public static async Task<RunningApi> StartAsync(StoreKind store = StoreKind.Sqlite, string? dataDirectory = null) =>
        new(await SampleApiHost.StartAsync(new SampleApiOptions { Store = store, DataDirectory = dataDirectory }));

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
    }
}
