using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Surge.SampleApi.Domain;
using Surge.SampleApi.Endpoints;
using Surge.SampleApi.Hosting;
using Surge.SampleApi.Services;
using Surge.SampleApi.Stores;

namespace Surge.SampleApi;

/// <summary>The sample API running on Kestrel on a loopback address, in the caller's process.</summary>
public sealed class SampleApiHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RequestStats _stats;
    private readonly GrpcStats _grpcStats;
    private readonly DomainStats _domainStats;
    private readonly string? _ownedDataDirectory;
    private int _disposed;

    private SampleApiHost(WebApplication app, Listeners listeners, StoreKind store, string? ownedDataDirectory)
    {
        _app = app;
        _stats = app.Services.GetRequiredService<RequestStats>();
        _grpcStats = app.Services.GetRequiredService<GrpcStats>();
        _domainStats = app.Services.GetRequiredService<DomainStats>();
        BaseAddress = listeners.UriOf(Uri.UriSchemeHttp, listeners.Http)!;
        H2cAddress = listeners.UriOf(Uri.UriSchemeHttp, listeners.H2c);
        TlsAddress = listeners.UriOf(Uri.UriSchemeHttps, listeners.Tls);
        TlsCertificate = listeners.Certificate;
        Store = store;
        _ownedDataDirectory = ownedDataDirectory;
    }

    /// <summary>Where the API listens, with a trailing slash, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The h2c port (HTTP/2 only, prior knowledge) that serves gRPC and the REST API, or null without one.</summary>
    public Uri? H2cAddress { get; }

    /// <summary>The TLS port (HTTP/1.1 and HTTP/2 by ALPN) that serves gRPC and the REST API, or null without one.</summary>
    public Uri? TlsAddress { get; }

    /// <summary>The TLS port's self-signed certificate, for a client that trusts exactly this one; null without the port.</summary>
    public X509Certificate2? TlsCertificate { get; }

    /// <summary>gRPC calls by method and status, and stream messages, since start or the last POST /stats/reset.</summary>
    public GrpcCounts Grpc => _grpcStats.Snapshot();

    /// <summary>What the cashiers/invoices domain did for REST requests since start or the last reset.</summary>
    public DomainCounts RestDomain => _domainStats.Snapshot(ApiProtocol.Rest);

    /// <summary>What the cashiers/invoices domain did for gRPC calls since start or the last reset.</summary>
    public DomainCounts GrpcDomain => _domainStats.Snapshot(ApiProtocol.Grpc);

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
        foreach (var port in new[] { options.Port, options.H2cPort, options.TlsPort })
        {
            if (port is < 0 or > IPEndPoint.MaxPort)
            {
                throw new ArgumentOutOfRangeException(nameof(options), port, "Port must be between 0 (any free port) and 65535.");
            }
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
        var listeners = new Listeners(address, options.TlsPort is null ? null : SelfSignedCertificate.Create(address));
        try
        {
            Directory.CreateDirectory(dataDirectory);
            app = Build(options, listeners, dataDirectory);
            await app.Services.GetRequiredService<IDataStore>().InitializeAsync(cancellationToken);
            await app.StartAsync(cancellationToken);
            return new SampleApiHost(app, listeners, options.Store, ownedDataDirectory);
        }
        catch
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }

            listeners.Certificate?.Dispose();
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
        TlsCertificate?.Dispose();
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

    private static WebApplication Build(SampleApiOptions options, Listeners listeners, string dataDirectory)
    {
        var stats = new RequestStats();
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
            kestrel.Listen(listeners.Address, options.Port, listen => listeners.Http = listen);
            if (options.H2cPort is { } h2c)
            {
                kestrel.Listen(listeners.Address, h2c, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    listeners.H2c = listen;
                });
            }

            if (options.TlsPort is { } tls)
            {
                kestrel.Listen(listeners.Address, tls, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(listeners.Certificate!);
                    listeners.Tls = listen;
                });
            }
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
        services.AddSingleton<GrpcStats>();
        services.AddSingleton<DomainStats>();
        services.AddSingleton<ReferenceDomain>();
        services.AddGrpc(grpc => grpc.Interceptors.Add<GrpcCountingInterceptor>());
        services.AddGrpcReflection();
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
        app.MapCashierEndpoints();
        app.MapInvoiceEndpoints();
        app.MapGrpcService<CashierGrpcService>();
        app.MapGrpcService<InvoiceGrpcService>();
        app.MapGrpcService<ChaosGrpcService>();
        app.MapGrpcReflectionService();
        return app;
    }

    /// <summary>The address, the TLS certificate, and each port's listen options, which Kestrel fills in with the bound port.</summary>
    private sealed class Listeners(IPAddress address, X509Certificate2? certificate)
    {
        public IPAddress Address => address;

        public X509Certificate2? Certificate => certificate;

        public ListenOptions? Http { get; set; }

        public ListenOptions? H2c { get; set; }

        public ListenOptions? Tls { get; set; }

        public Uri? UriOf(string scheme, ListenOptions? listen)
        {
            if (listen is null)
            {
                return null;
            }

            var host = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
            return new UriBuilder(scheme, host, listen.IPEndPoint!.Port, "/").Uri;
        }
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
