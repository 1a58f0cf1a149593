using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Surge.Cli.Dashboard.Tests;

/// <summary>
/// The system under load: a loopback Kestrel server whose one endpoint takes 50 ms, counting requests and how many
/// are in flight at once. With looping VUs and nothing else, in-flight requests are the server's view of the VUs.
/// </summary>
public sealed class TargetServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;
    private int _inFlight;
    private int _maxInFlight;

    private TargetServer(WebApplication app)
    {
        _app = app;
    }

    public string Url { get; private set; } = "";

    public long Requests => Interlocked.Read(ref _requests);

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests ever in flight at once since the last reset.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static async Task<TargetServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new TargetServer(app);
        app.MapGet("/work", async (CancellationToken token) =>
        {
            Interlocked.Increment(ref server._requests);
            var now = Interlocked.Increment(ref server._inFlight);
            int seen;
            while ((seen = Volatile.Read(ref server._maxInFlight)) < now && Interlocked.CompareExchange(ref server._maxInFlight, now, seen) != seen)
            {
            }
            try
            {
                await Task.Delay(50, token);
                return "done\n";
            }
            finally
            {
                Interlocked.Decrement(ref server._inFlight);
            }
        });
        await app.StartAsync();
        server.Url = app.Urls.First().TrimEnd('/') + "/work";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
