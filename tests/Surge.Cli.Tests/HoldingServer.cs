using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Surge.Cli.Tests;

/// <summary>
/// A loopback Kestrel target whose one endpoint holds each request for <see cref="Hold"/> before it answers, counting
/// the requests it received and the responses it sent in full: a slow system under test that a stop must wait for.
/// </summary>
public sealed class HoldingServer : IAsyncDisposable
{
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(8);

    private readonly WebApplication _app;
    private long _received;
    private long _answered;

    private HoldingServer(WebApplication app)
    {
        _app = app;
    }

    public string Url { get; private set; } = "";

    public long Received => Interlocked.Read(ref _received);

    public long Answered => Interlocked.Read(ref _answered);

    public static async Task<HoldingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new HoldingServer(app);
        app.MapGet("/hold", async (CancellationToken aborted) =>
        {
            Interlocked.Increment(ref server._received);
            await Task.Delay(Hold, aborted);
            Interlocked.Increment(ref server._answered);
            return "held\n";
        });
        await app.StartAsync();
        server.Url = app.Urls.First().TrimEnd('/') + "/hold";
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
