using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Surge.SampleApi.Endpoints;
using Surge.SampleApi.Hosting;
using Surge.SampleApi.Stores;

namespace Surge.SampleApi;

/// <summary>The sample API running on Kestrel on a loopback address, in the caller's process.</summary>
public sealed class SampleApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestStats _stats;
    private readonly string? _ownedDataDirectory;
    private int _disposed;

    private SampleApiHost(WebApplication app, RequestStats stats, Uri baseAddress, StoreKind store, string? ownedDataDirectory)
    {
        _app = app;
        _stats = stats;
        BaseAddress = baseAddress;
        Store = store;
        _ownedDataDirectory = ownedDataDirectory;
    }

    /// <summary>Where the API listens, with a trailing slash, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    public StoreKind Store { get; }

    /// <summary>The store's name as the command line and GET /stats spell it: json-file or sqlite.</summary>
    public string StoreName => StoreKindNames.ToName(Store);

    /// <summary>Requests served since start or the last POST /stats/reset; the number GET /stats reports.</summary>
    public long RequestCount => _stats.Total;

    /// <summary>Requests served to one route since start or the last reset, e.g. RequestsTo("GET", "/go/items/{id}").</summary>
    public long RequestsTo(string method, string route) => _stats.ByRoute().GetValueOrDefault($"{method} {route}");

    /// <summary>WebSocket sessions and messages counted on /ws routes since start or the last reset.</summary>
    public WebSocketStats WebSockets => _app.Services.GetRequiredService<WebSocketStats>();

    /// <exception cref="ArgumentException">The host is not a loopback address (and no private address is given), or the port is out of range.</exception>
    public static async Task<SampleApiHost> StartAsync(SampleApiOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = options.PrivateAddress ?? ParseLoopback(options.Host);
        if (options.Port is < 0 or > IPEndPoint.MaxPort)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Port, "Port must be between 0 (any free port) and 65535.");
        }

        if (options.Capacity is { Concurrency: < 1 } or { Queue: < 0 } || options.Capacity.ServiceTime <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Capacity,
                "The capacity endpoint needs a concurrency of 1 or more, a queue of 0 or more and a positive service time.");
        }

        var ownedDataDirectory = options.DataDirectory is null
            ? Path.Combine(Path.GetTempPath(), "surge-sampleapi-" + Guid.NewGuid().ToString("N"))
            : null;
        var dataDirectory = options.DataDirectory ?? ownedDataDirectory!;
        WebApplication? app = null;
        try
        {
            Directory.CreateDirectory(dataDirectory);
            var stats = new RequestStats();
            app = Build(options, new IPEndPoint(address, options.Port), dataDirectory, stats);
            await app.Services.GetRequiredService<IDataStore>().InitializeAsync(cancellationToken);
            await app.StartAsync(cancellationToken);
            var port = new Uri(app.Services.GetRequiredService<IServer>().Features
                .GetRequiredFeature<IServerAddressesFeature>().Addresses.First()).Port;
            var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            return new SampleApiHost(app, stats, new UriBuilder(Uri.UriSchemeHttp, host, port, "/").Uri, options.Store, ownedDataDirectory);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            DeleteDirectory(ownedDataDirectory);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        DeleteDirectory(_ownedDataDirectory);
    }

    private static IPAddress ParseLoopback(string? host)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        if (IPAddress.TryParse(host?.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address))
        {
            return address;
        }

        throw new ArgumentException(
            $"Host '{host}' is not a loopback address; the sample API only listens on 127.0.0.1, ::1 or localhost.",
            nameof(host));
    }

    private static WebApplication Build(SampleApiOptions options, IPEndPoint endPoint, string dataDirectory, RequestStats stats)
    {
        // The empty builder reads no appsettings or ASPNETCORE_* variables, so the host behaves the same wherever
        // it is started from, and it registers no per-request logging.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(SampleApiHost).Assembly.GetName().Name,
            EnvironmentName = Environments.Production,
        });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(endPoint);
        });

        var services = builder.Services;
        services.AddRoutingCore();
        services.Replace(ServiceDescriptor.Singleton<IHostLifetime, NoSignalHostLifetime>());
        services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(5));
        services.AddSingleton(stats);
        services.AddSingleton<WebSocketStats>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<Carts>();
        services.AddSingleton(new CapacityLimiter(options.Capacity));
        services.AddSingleton<IDataStore>(_ => options.Store switch
        {
            StoreKind.JsonFile => new JsonFileStore(Path.Combine(dataDirectory, "data.json")),
            StoreKind.Sqlite => new SqliteStore(Path.Combine(dataDirectory, "data.db")),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Store, null),
        });

        var app = builder.Build();
        app.UseRouting();
        app.Use((context, next) =>
        {
            // Counted on arrival, before the handler: a client that has read its response and then asks GET /stats
            // must find that request counted, which counting after the response was flushed would not guarantee.
            var endpoint = context.GetEndpoint();
            if (endpoint?.Metadata.GetMetadata<ExcludedFromStats>() is null)
            {
                stats.Record(context.Request.Method, (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)");
            }

            return next(context);
        });

        app.MapStatsEndpoints();
        app.MapItemEndpoints();
        app.MapOrderEndpoints();
        app.MapAuthEndpoints();
        app.MapBrowserEndpoints();
        app.MapTestHelperEndpoints();
        app.MapCapacityEndpoints();
        app.MapWebSocketEndpoints();
        return app;
    }

    private static void DeleteDirectory(string? directory)
    {
        if (directory is null || !Directory.Exists(directory))
        {
            return;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory is harmless; failing a dispose over it is not.
        }
    }
}
