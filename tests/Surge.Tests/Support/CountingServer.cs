using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Surge.Tests.Support;

/// <summary>A real Kestrel server on a free loopback port that counts every request it answers: the ground truth.</summary>
public sealed class CountingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;

    private CountingServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public long Requests => Interlocked.Read(ref _requests);

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public static async Task<CountingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        CountingServer? server = null;
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref server!._requests);
            await next(context);
        });
        app.MapGet("/hello", () => "hello world\n");
        app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            return Microsoft.AspNetCore.Http.Results.Text(await reader.ReadToEndAsync());
        });
        app.MapGet("/status/{code:int}", (int code) => Microsoft.AspNetCore.Http.Results.StatusCode(code));
        app.MapGet("/delay/{ms:int}", async (int ms, CancellationToken token) =>
        {
            await Task.Delay(ms, token);
            return "late\n";
        });
        await app.StartAsync();
        var address = app.Urls.First();
        server = new CountingServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
