using System.Globalization;
using System.Net.NetworkInformation;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using HttpResults = Microsoft.AspNetCore.Http.Results;
using Surge.Engine;
using Surge.Outputs;
using Surge.Plans;
using Surge.Reporting.Html;
using Surge.Results;

namespace Surge.Cli.Dashboard;

/// <summary>
/// `--dashboard`: a small Kestrel server showing the run live in the HTML report's own page. GET / serves the page
/// with the data so far, GET /events streams the rest (server-sent events), POST /stop stops the run as the first
/// Ctrl-C does, and POST /scenarios/{name}/vus sets the VUs of an externally-controlled scenario.
/// </summary>
/// <remarks>
/// Another site's page must not be able to stop or steer the run. POSTs need the X-Surge-Token header with the
/// random token embedded in the served page: a cross-site form cannot set a header, and a cross-site script that
/// tries needs a CORS preflight, which is never granted. Requests whose Host header is not one of the machine's own
/// names or addresses (or a `--dashboard-host` name) are refused, so another site cannot reach the dashboard, page and
/// token included, through a DNS name it points here (DNS rebinding); and no page may frame it (clickjacking the stop
/// button).
/// </remarks>
public sealed class LiveDashboard : IAsyncDisposable
{
    /// <summary>Written at the end of a dashboard run that was not given --report.</summary>
    public const string DefaultReport = "surge-report.html";

    public const string TokenHeader = RequestGuard.TokenHeader;

    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; frame-ancestors 'none'; form-action 'none'; base-uri 'none'";

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(LiveDashboard).Assembly.GetManifestResourceStream("dashboard.js")
            ?? throw new InvalidOperationException("dashboard.js is missing from the surge assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    });

    private static readonly JsonSerializerOptions ConfigOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.Default };

    private readonly WebApplication _app;
    private readonly DashboardFeed _feed;
    private readonly CancellationTokenSource _closing = new();
    private readonly RequestGuard _guard;
    private readonly Action _stop;

    private LiveDashboard(WebApplication app, DashboardFeed feed, ExternalControl control, Action stop, HashSet<string> allowedHosts)
    {
        _app = app;
        _guard = new RequestGuard(allowedHosts, RequestGuard.NewToken());
        _feed = feed;
        Control = control;
        _stop = stop;
        Sink = new DashboardSink(feed);
    }

    /// <summary>Where the dashboard listens, e.g. http://127.0.0.1:5665/.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Feeds the dashboard; add it to the run's sinks.</summary>
    public ILiveSink Sink { get; }

    /// <summary>What the page's VU controls set; pass it to the run.</summary>
    public ExternalControl Control { get; }

    /// <param name="stop">Stops the run gracefully, exactly as the first Ctrl-C does.</param>
    public static async Task<LiveDashboard> StartAsync(DashboardAddress address, Action stop, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(address);
        var app = LocalWebHost.Build(address);
        var control = new ExternalControl();
        var dashboard = new LiveDashboard(app, new DashboardFeed(control), control, stop, AllowedHosts(address));
        dashboard.Map();
        dashboard.Address = await LocalWebHost.StartAsync(app, address, "--dashboard", dashboard.DisposeAsync, cancellationToken);
        return dashboard;
    }

    /// <summary>
    /// The names a request may use: loopback's, the listening address, `--dashboard-host` names and, when the
    /// dashboard listens beyond loopback, the machine's own names and addresses (what other machines use to reach it).
    /// </summary>
    public static HashSet<string> AllowedHosts(DashboardAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var names = new HashSet<string>(StringComparer.Ordinal) { "localhost", "127.0.0.1", "::1", DashboardAddress.Normalize(address.Host.ToString()) };
        names.UnionWith(address.AllowedHosts.Select(DashboardAddress.Normalize));
        if (!address.IsLoopback)
        {
            // From the local configuration only: a DNS lookup could hang the start on a machine without DNS.
            var machine = IPGlobalProperties.GetIPGlobalProperties();
            names.Add(DashboardAddress.Normalize(machine.HostName));
            if (machine.DomainName is { Length: > 0 } domain && domain != "(none)")
            {
                names.Add(DashboardAddress.Normalize($"{machine.HostName}.{domain}"));
            }
            foreach (var network in NetworkInterface.GetAllNetworkInterfaces())
            {
                names.UnionWith(network.GetIPProperties().UnicastAddresses.Select(unicast => DashboardAddress.Normalize(unicast.Address.ToString())));
            }
        }
        return names;
    }

    private void Map()
    {
        _app.Use(async (context, next) =>
        {
            var response = context.Response;
            response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
            response.Headers.XFrameOptions = "DENY";
            response.Headers.XContentTypeOptions = "nosniff";
            response.Headers.CacheControl = "no-store";
            if (!_guard.HostAllowed(context.Request))
            {
                response.StatusCode = StatusCodes.Status403Forbidden;
                await response.WriteAsync("this dashboard answers only to this machine's names and addresses; allow another name with --dashboard-host NAME\n", context.RequestAborted);
                return;
            }
            if (HttpMethods.IsPost(context.Request.Method) && !_guard.HasToken(context.Request))
            {
                response.StatusCode = StatusCodes.Status403Forbidden;
                await response.WriteAsync($"missing or wrong {TokenHeader}: controls work only from the dashboard page\n", context.RequestAborted);
                return;
            }
            await next(context);
        });
        _app.MapGet("/", Page);
        _app.MapGet("/events", EventsAsync);
        _app.MapPost("/stop", () =>
        {
            _stop();
            return HttpResults.Accepted();
        });
        _app.MapPost("/scenarios/{name}/vus", SetVusAsync);
    }

    private IResult Page()
    {
        var (seq, summary, finished, lastUpdate) = _feed.Current();
        summary ??= new RunSummary { StartedAt = DateTimeOffset.UtcNow, Duration = TimeSpan.Zero, Metrics = [], Thresholds = [], Scenarios = [] };
        var config = JsonSerializer.Serialize(
            new LiveConfig(_guard.Token, TokenHeader, seq, finished, [.. Control.Scenarios]),
            ConfigOptions);
        // The update JSON escapes <, > and &, so it embeds in a script as it is.
        var script = "window.SurgeLive = " + config + ";\nwindow.SurgeLive.last = " + (lastUpdate ?? "null") + ";\n" + Script.Value;
        return HttpResults.Content(HtmlReport.Page(summary, HtmlReport.Data(summary), script), "text/html; charset=utf-8");
    }

    private sealed record LiveConfig(string Token, string Header, long After, bool Finished, string[] Controllable);

    private async Task EventsAsync(HttpContext context)
    {
        var request = context.Request;
        var lastId = request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : request.Query["after"].ToString();
        long? after = long.TryParse(lastId, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        var events = _feed.Subscribe(after);
        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers["X-Accel-Buffering"] = "no";
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _closing.Token);
        try
        {
            await response.Body.FlushAsync(ended.Token);
            await foreach (var message in events.ReadAllAsync(ended.Token))
            {
                await response.WriteAsync(message, ended.Token);
                await response.Body.FlushAsync(ended.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // The browser went away or the dashboard is closing.
        }
    }

    private async Task<IResult> SetVusAsync(string name, HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = (await reader.ReadToEndAsync(request.HttpContext.RequestAborted)).Trim();
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var vus))
        {
            return HttpResults.Text($"'{text}' is not a number of VUs\n", statusCode: StatusCodes.Status400BadRequest);
        }
        if (Control.TargetVus(name) is null)
        {
            return HttpResults.Text($"no externally-controlled scenario is called '{name}'\n", statusCode: StatusCodes.Status404NotFound);
        }
        return Control.TrySetVus(name, vus, out var error)
            ? HttpResults.Text(vus.ToString(CultureInfo.InvariantCulture) + "\n")
            : HttpResults.Text(error + "\n", statusCode: StatusCodes.Status409Conflict);
    }

    public async ValueTask DisposeAsync()
    {
        await _feed.DisposeAsync();
        // The final event is queued for every page; their streams get a moment to send it, then they are closed.
        _closing.CancelAfter(TimeSpan.FromSeconds(1));
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
        _closing.Dispose();
    }
}
