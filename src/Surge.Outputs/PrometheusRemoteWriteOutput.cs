using System.Net.Http.Headers;
using Surge.Results;

namespace Surge.Outputs;

/// <summary>Settings of `-o prometheus-rw[=URL]`, read from k6's K6_PROMETHEUS_RW_* variables.</summary>
public sealed record PrometheusRemoteWriteOptions
{
    /// <summary>Where `-o prometheus-rw` pushes with no URL, as in k6: a local Prometheus's receiver.</summary>
    public const string DefaultUrl = "http://localhost:9090/api/v1/write";

    /// <summary>The remote-write receiver (K6_PROMETHEUS_RW_SERVER_URL); Prometheus needs --web.enable-remote-write-receiver.</summary>
    public required Uri Url { get; init; }

    /// <summary>K6_PROMETHEUS_RW_PUSH_INTERVAL, 5 s by default as in k6.</summary>
    public TimeSpan PushInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>K6_PROMETHEUS_RW_TREND_STATS, p(99) by default as in k6.</summary>
    public IReadOnlyList<string> TrendStats { get; init; } = [PrometheusMapping.DefaultTrendStats];

    /// <summary>Extra headers of every push (K6_PROMETHEUS_RW_HTTP_HEADERS and K6_PROMETHEUS_RW_HEADERS_NAME); none by default.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>
    /// K6_PROMETHEUS_RW_BEARER_TOKEN as a bearer token, or else K6_PROMETHEUS_RW_USERNAME and _PASSWORD as basic auth;
    /// null for none.
    /// </summary>
    public AuthenticationHeaderValue? Authorization { get; init; }

    /// <summary>K6_PROMETHEUS_RW_INSECURE_SKIP_TLS_VERIFY: accept any TLS certificate of an https receiver; false by default.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>The options of `-o prometheus-rw[=URL]`, the rest from k6's K6_PROMETHEUS_RW_* variables.</summary>
    /// <param name="name">The output's name in error messages.</param>
    /// <param name="argument">The URL after `prometheus-rw=`, which wins over K6_PROMETHEUS_RW_SERVER_URL.</param>
    /// <param name="environment">The variables to read the K6_PROMETHEUS_RW_* settings from.</param>
    internal static PrometheusRemoteWriteOptions From(string name, string? argument, IReadOnlyDictionary<string, string> environment)
    {
        var settings = new OutputSettings(name, environment);
        var url = argument ?? settings.Text("K6_PROMETHEUS_RW_SERVER_URL") ?? DefaultUrl;
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var pair in settings.List("K6_PROMETHEUS_RW_HTTP_HEADERS", ""))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw settings.Invalid("K6_PROMETHEUS_RW_HTTP_HEADERS", pair, "name:value pairs separated by commas");
            }
            headers.Add(new(pair[..colon].Trim(), pair[(colon + 1)..].Trim()));
        }
        const string headerPrefix = "K6_PROMETHEUS_RW_HEADERS_";
        foreach (var (variable, value) in environment.Where(e => e.Key.StartsWith(headerPrefix, StringComparison.Ordinal)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            headers.Add(new(variable[headerPrefix.Length..], value));
        }
        var bearer = settings.Text("K6_PROMETHEUS_RW_BEARER_TOKEN");
        return new PrometheusRemoteWriteOptions
        {
            Url = settings.HttpUrl(argument is null ? "K6_PROMETHEUS_RW_SERVER_URL" : "the URL", url),
            PushInterval = settings.Duration("K6_PROMETHEUS_RW_PUSH_INTERVAL", TimeSpan.FromSeconds(5)),
            TrendStats = PrometheusMapping.ParseTrendStats(settings.List("K6_PROMETHEUS_RW_TREND_STATS", PrometheusMapping.DefaultTrendStats), name, "K6_PROMETHEUS_RW_TREND_STATS"),
            Headers = headers,
            Authorization = bearer is not null
                ? new AuthenticationHeaderValue("Bearer", bearer)
                : settings.BasicAuth("K6_PROMETHEUS_RW_USERNAME", "K6_PROMETHEUS_RW_PASSWORD"),
            InsecureSkipTlsVerify = settings.Flag("K6_PROMETHEUS_RW_INSECURE_SKIP_TLS_VERIFY"),
        };
    }
}

/// <summary>
/// `-o prometheus-rw`: Prometheus remote write 1.0 with k6's metric mapping (<see cref="PrometheusMapping"/>). Every
/// push interval it sends each series' running total, stamped with the wall-clock time of the latest interval, and
/// once more at the end. A failed push is dropped, not retried: the next one carries the same running totals, so
/// counters and histograms stay exact and only the resolution of that stretch is lost.
/// </summary>
public sealed class PrometheusRemoteWriteOutput(string name, PrometheusRemoteWriteOptions options) : IRunOutput, IDisposable
{
    private readonly HttpClient _client = HttpDelivery.CreateClient(options.InsecureSkipTlsVerify);
    private readonly PrometheusMapping _mapping = new(options.TrendStats);
    private OutputDeliveries _deliveries = new();
    private readonly PushSchedule _pushes = new(options.PushInterval);
    private DateTimeOffset? _pending;

    /// <summary>The name the output goes by in the warnings about its deliveries, e.g. "prometheus-rw".</summary>
    public string Name => name;

    /// <summary>Counts push intervals from the run's wall-clock start; nothing is sent yet.</summary>
    public Task StartAsync(OutputContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _deliveries = context.Deliveries;
        _pushes.Start(context.StartedAt);
        return Task.CompletedTask;
    }

    /// <summary>Adds the interval to the running totals and pushes them once a push interval has passed.</summary>
    public async Task WriteAsync(OutputInterval interval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interval);
        _mapping.Add(interval);
        _pending = interval.Time;
        if (_pushes.IsDue(interval))
        {
            await PushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Pushes the final totals when intervals arrived since the last push.</summary>
    public Task StopAsync(RunSummary summary, CancellationToken cancellationToken) =>
        _pending is null ? Task.CompletedTask : PushAsync(cancellationToken);

    private async Task PushAsync(CancellationToken cancellationToken)
    {
        var time = _pending!.Value;
        _pending = null;
        if (_mapping.IsEmpty)
        {
            return;
        }
        var body = RemoteWriteRequest.Compress(RemoteWriteRequest.Encode(_mapping.Samples(), time.ToUnixTimeMilliseconds()));
        using var request = new HttpRequestMessage(HttpMethod.Post, options.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        request.Content.Headers.ContentEncoding.Add("snappy");
        request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("surge", "0.1"));
        request.Headers.Authorization = options.Authorization;
        foreach (var (header, value) in options.Headers)
        {
            request.Headers.TryAddWithoutValidation(header, value);
        }
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await HttpDelivery.EnsureDeliveredAsync(response, cancellationToken).ConfigureAwait(false);
            _deliveries.Sent();
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            _deliveries.Drop(OutputDeliveries.Reason(exception));
        }
    }

    /// <summary>Releases the HTTP client.</summary>
    public void Dispose() => _client.Dispose();
}
