using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Surge.Cli.Dashboard.Tests;

/// <summary>
/// The system under load: a loopback Kestrel server whose one endpoint takes 50 ms (or as long as it is told to hold
/// requests), counting requests, the responses it finished and how many are in flight at once. With looping VUs and
/// nothing else, in-flight requests are the server's view of the VUs. Shared with Surge.Cli.Tests.
/// </summary>
public sealed class TargetServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;
    private long _answered;
    private int _inFlight;
    private int _maxInFlight;

    private TargetServer(WebApplication app)
    {
        _app = app;
    }

    public string Url { get; private set; } = "";

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Requests held for the whole time and answered, not cut short by the client going away.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>The most requests ever in flight at once since the last reset.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static async Task<TargetServer> StartAsync(TimeSpan? hold = null)
    {
        var delay = hold ?? TimeSpan.FromMilliseconds(50);
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
                await Task.Delay(delay, token);
                Interlocked.Increment(ref server._answered);
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
