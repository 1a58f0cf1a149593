using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Surge.Tests.Support;

/// <summary>
/// A real Kestrel server on a free loopback port that counts every request it answers, the connections they came
/// on and the protocols they used: the ground truth.
/// </summary>
public sealed class CountingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private long _requests;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _connections = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _protocols = new();

    private CountingServer(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Distinct connections that carried at least one request.</summary>
    public int Connections => _connections.Count;

    public IReadOnlyCollection<string> Protocols => [.. _protocols.Keys];

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <param name="http2Only">Cleartext HTTP/2 with prior knowledge, as HttpClient speaks it without TLS.</param>
    public static async Task<CountingServer> StartAsync(bool http2Only = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
            endpoint.Protocols = http2Only ? HttpProtocols.Http2 : HttpProtocols.Http1AndHttp2)).UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        CountingServer? server = null;
        app.Use(async (context, next) =>
        {
            Interlocked.Increment(ref server!._requests);
            server._connections.TryAdd(context.Connection.Id, 0);
            server._protocols.TryAdd(context.Request.Protocol, 0);
            await next(context);
        });
        app.MapGet("/hello", () => "hello world\n");
        app.MapGet("/token", () => Microsoft.AspNetCore.Http.Results.Json(new { token = "t-123", count = 2 }));
        app.MapGet("/me", (HttpRequest request) => request.Headers.Authorization.ToString());
        app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            return Microsoft.AspNetCore.Http.Results.Text(await reader.ReadToEndAsync());
        });
        app.MapGet("/records", () => Microsoft.AspNetCore.Http.Results.Json(new[] { new { id = "1" }, new { id = "2" } }));
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
