using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Surge.Plans;
using Surge.Results;

namespace Surge.Outputs;

/// <summary>Where `-o prometheus[=HOST:PORT]` listens: 127.0.0.1:5656 unless told otherwise.</summary>
public sealed record PrometheusEndpointOptions(IPAddress Host, int Port)
{
    /// <summary>The port of k6's Prometheus pull extension, so its scrape configs carry over.</summary>
    public const int DefaultPort = 5656;

    /// <summary>
    /// The statistics served as gauges for each trend, in k6's names (avg, min, med, max, p(N), count, sum); p(99) by
    /// default, as remote write's K6_PROMETHEUS_RW_TREND_STATS.
    /// </summary>
    public IReadOnlyList<string> TrendStats { get; init; } = [PrometheusMapping.DefaultTrendStats];

    /// <summary>
    /// `HOST:PORT` (an IP address, [IPv6] or localhost; `:PORT` alone is loopback), or loopback's default port. Another
    /// machine can scrape only when an address beyond loopback is written out, e.g. 0.0.0.0:5656. K6_PROMETHEUS_RW_TREND_STATS
    /// chooses the trend gauges as for remote write, so the two outputs give the same series.
    /// </summary>
    internal static PrometheusEndpointOptions From(string name, string? argument, IReadOnlyDictionary<string, string> environment)
    {
        var settings = new OutputSettings(name, environment);
        var stats = PrometheusMapping.ParseTrendStats(settings.List("K6_PROMETHEUS_RW_TREND_STATS", PrometheusMapping.DefaultTrendStats), name, "K6_PROMETHEUS_RW_TREND_STATS");
        if (argument is null)
        {
            return new PrometheusEndpointOptions(IPAddress.Loopback, DefaultPort) { TrendStats = stats };
        }
        var colon = argument.LastIndexOf(':');
        var wrong = new PlanException($"-o {name}={argument}: not HOST:PORT; write e.g. -o {name}=127.0.0.1:{DefaultPort} (or 0.0.0.0:{DefaultPort} to be scraped from other machines)");
        if (colon < 0 || !int.TryParse(argument[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            throw wrong;
        }
        var host = argument[..colon];
        if (host.Length == 0 || string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return new PrometheusEndpointOptions(IPAddress.Loopback, port) { TrendStats = stats };
        }
        var bracketed = host.StartsWith('[') && host.EndsWith(']');
        return IPAddress.TryParse(bracketed ? host[1..^1] : host, out var address) && (bracketed || address.AddressFamily == AddressFamily.InterNetwork)
            ? new PrometheusEndpointOptions(address, port) { TrendStats = stats }
            : throw wrong;
    }
}

/// <summary>
/// `-o prometheus[=HOST:PORT]`: a `/metrics` endpoint in Prometheus's text format, for setups whose Prometheus scrapes.
/// It serves the same series as remote write (<see cref="PrometheusMapping"/>: running totals, counters `_total`,
/// trend gauges, classic histogram buckets), rendered once per interval on the output's own task, so a scrape only
/// copies bytes and a client that never reads holds up nobody but itself (Kestrel drops it for its slow data rate).
/// It listens from before the load until the process ends. After the load, when something has scraped it during the
/// run, it waits for a scrape that fetches the final totals, at most 80% of the flush timeout (4 s by default), so a
/// scraper at least that frequent misses nothing; a run nobody scraped ends at once.
/// </summary>
public sealed class PrometheusEndpointOutput : IRunOutput, IDisposable
{
    private const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly WebApplication _app;
    private readonly PrometheusMapping _mapping;
    private readonly TaskCompletionSource _finalScraped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[] _body = [];
    private long _version;
    private long _finalVersion = long.MaxValue;
    private long _scrapes;
    private TimeSpan _linger = OutputContext.DefaultFlushTimeout * 0.8;
    private bool _disposed;

    private PrometheusEndpointOutput(string name, WebApplication app, PrometheusEndpointOptions options)
    {
        Name = name;
        _app = app;
        _mapping = new PrometheusMapping(options.TrendStats);
        app.MapGet("/metrics", ScrapeAsync);
        app.MapGet("/", () => Microsoft.AspNetCore.Http.Results.Text("Surge's metrics are at /metrics\n"));
    }

    /// <summary>The name the output goes by in the warnings about its deliveries, e.g. "prometheus".</summary>
    public string Name { get; }

    /// <summary>The scrape URL, e.g. http://127.0.0.1:5656/metrics.</summary>
    public Uri Url { get; private set; } = null!;

    /// <summary>True once a scrape has fetched the final totals (after the load).</summary>
    internal bool FinalTotalsScraped => _finalScraped.Task.IsCompleted;

    /// <summary>Scrapes served so far.</summary>
    internal long Scrapes => Interlocked.Read(ref _scrapes);

    /// <summary>Listens at once, so a taken port or a foreign address is an invalid test before any load.</summary>
    public static PrometheusEndpointOutput Start(string name, PrometheusEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(PrometheusEndpointOutput).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(options.Host, options.Port);
            // Scrapers are few; a client that opens connections and stays silent gets no more than these.
            kestrel.Limits.MaxConcurrentConnections = 64;
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            kestrel.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(30);
        });
        builder.Services.AddRoutingCore();
        builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, NoSignalLifetime>());
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        var output = new PrometheusEndpointOutput(name, app, options);
        var host = options.Host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{options.Host}]" : options.Host.ToString();
        try
        {
            app.StartAsync().GetAwaiter().GetResult();
        }
        // Kestrel reports a port in use as an IOException, an address not on this machine as a SocketException.
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            output.Dispose();
            throw new PlanException($"-o {name}={host}:{options.Port.ToString(CultureInfo.InvariantCulture)}: cannot listen there: {exception.Message}");
        }
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()).Port;
        output.Url = new UriBuilder(Uri.UriSchemeHttp, IPAddress.Any.Equals(options.Host) ? "127.0.0.1" : host, port, "/metrics").Uri;
        return output;
    }

    /// <summary>Takes the run's flush timeout, 80% of which bounds the wait for the final scrape.</summary>
    public Task StartAsync(OutputContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _linger = context.FlushTimeout * 0.8;
        return Task.CompletedTask;
    }

    /// <summary>Adds the interval to the running totals and renders the page the next scrape gets.</summary>
    public Task WriteAsync(OutputInterval interval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interval);
        _mapping.Add(interval);
        var body = Render(_mapping.Samples());
        lock (_finalScraped)
        {
            _body = body;
            _version++;
        }
        return Task.CompletedTask;
    }

    /// <summary>Every interval is in: waits for a scrape of the final totals, within the linger time.</summary>
    public async Task StopAsync(RunSummary summary, CancellationToken cancellationToken)
    {
        long final;
        lock (_finalScraped)
        {
            final = _finalVersion = _version;
        }
        if (final == 0 || Scrapes == 0)
        {
            // Nothing to serve, or nobody scraping: no scraper to wait for.
            return;
        }
        try
        {
            await _finalScraped.Task.WaitAsync(_linger, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Nobody scraped in time; the endpoint still serves the final totals until the process ends.
        }
    }

    private async Task ScrapeAsync(HttpContext context)
    {
        byte[] body;
        long version;
        lock (_finalScraped)
        {
            (body, version) = (_body, _version);
        }
        var response = context.Response;
        response.ContentType = ContentType;
        response.Headers.CacheControl = "no-store";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
        Interlocked.Increment(ref _scrapes);
        if (version >= Interlocked.Read(ref _finalVersion))
        {
            _finalScraped.TrySetResult();
        }
    }

    /// <summary>
    /// The text exposition format 0.0.4: each family's `# TYPE` line and then all its samples together (a histogram's
    /// buckets, sum and count are one family), families in the order they first appear.
    /// </summary>
    internal static byte[] Render(IEnumerable<PromSample> samples)
    {
        var families = new Dictionary<string, (string Type, StringBuilder Lines)>(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            if (!families.TryGetValue(sample.Family, out var family))
            {
                family = (sample.Type, new StringBuilder());
                families.Add(sample.Family, family);
            }
            var line = family.Lines.Append(sample.Name);
            if (sample.Labels.Count > 0)
            {
                line.Append('{');
                for (var i = 0; i < sample.Labels.Count; i++)
                {
                    var (label, value) = sample.Labels[i];
                    line.Append(i == 0 ? "" : ",").Append(label).Append("=\"");
                    foreach (var c in value)
                    {
                        line.Append(c switch { '\\' => @"\\", '"' => "\\\"", '\n' => @"\n", _ => c.ToString() });
                    }
                    line.Append('"');
                }
                line.Append('}');
            }
            line.Append(' ').Append(Number(sample.Value)).Append('\n');
        }
        var text = new StringBuilder();
        foreach (var (name, (type, lines)) in families)
        {
            text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n').Append(lines);
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string Number(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Stops listening; a request still in flight is cut after a second.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            try
            {
                _app.StopAsync(patience.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                // Kestrel aborts what is left.
            }
        }
        ((IDisposable)_app).Dispose();
    }
}
