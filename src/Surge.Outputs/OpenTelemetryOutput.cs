using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using Surge.Metrics;
using Surge.Plans;
using Surge.Results;

namespace Surge.Outputs;

/// <summary>
/// Settings of `-o opentelemetry`, from k6's K6_OTEL_* variables first (as k6 reads them) and then the standard
/// OTEL_EXPORTER_OTLP_* ones, so a collector configured for any OpenTelemetry SDK receives Surge's metrics unchanged.
/// </summary>
public sealed record OpenTelemetryOptions
{
    /// <summary>The <see cref="Protocol"/> value for OTLP over gRPC, to a collector's port 4317.</summary>
    public const string Grpc = "grpc";

    /// <summary>The <see cref="Protocol"/> value for OTLP protobuf over HTTP, to a collector's port 4318.</summary>
    public const string HttpProtobuf = "http/protobuf";

    private static readonly string[] ProtocolVariables = ["K6_OTEL_EXPORTER_PROTOCOL", "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"];

    /// <summary>The full URL the exporter posts to: a gRPC server's root, or the HTTP path (…/v1/metrics).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>grpc (the default, as in k6 and the .NET SDK) or http/protobuf.</summary>
    public required string Protocol { get; init; }

    /// <summary>`name=value,...`, values URL-encoded as in OTEL_EXPORTER_OTLP_HEADERS.</summary>
    public string Headers { get; init; } = "";

    /// <summary>How long one export may take (OTEL_EXPORTER_OTLP_METRICS_TIMEOUT or OTEL_EXPORTER_OTLP_TIMEOUT); 10 s by default.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>K6_OTEL_EXPORT_INTERVAL or OTEL_METRIC_EXPORT_INTERVAL: 10 s by default, as in k6.</summary>
    public TimeSpan ExportInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>K6_OTEL_METRIC_PREFIX: empty by default, as in k6, so names are k6's own (http_reqs).</summary>
    public string MetricPrefix { get; init; } = "";

    /// <summary>The service.name resource attribute (K6_OTEL_SERVICE_NAME or OTEL_SERVICE_NAME); "surge" by default.</summary>
    public string ServiceName { get; init; } = "surge";

    internal static OpenTelemetryOptions From(string name, IReadOnlyDictionary<string, string> environment)
    {
        var settings = new OutputSettings(name, environment);
        var protocolVariable = ProtocolVariables.FirstOrDefault(v => settings.Text(v) is not null);
        var protocol = protocolVariable is null ? Grpc : settings.Text(protocolVariable)!;
        if (protocol is not (Grpc or HttpProtobuf))
        {
            throw settings.Invalid(protocolVariable!, protocol, $"{Grpc} or {HttpProtobuf} (the .NET exporter does not send http/json)");
        }
        return new OpenTelemetryOptions
        {
            Protocol = protocol,
            Endpoint = EndpointFrom(settings, protocol),
            Headers = settings.Text("K6_OTEL_HEADERS") ?? settings.Text("OTEL_EXPORTER_OTLP_METRICS_HEADERS") ?? settings.Text("OTEL_EXPORTER_OTLP_HEADERS") ?? "",
            Timeout = Milliseconds(settings, "OTEL_EXPORTER_OTLP_METRICS_TIMEOUT") ?? Milliseconds(settings, "OTEL_EXPORTER_OTLP_TIMEOUT") ?? TimeSpan.FromSeconds(10),
            ExportInterval = settings.Text("K6_OTEL_EXPORT_INTERVAL") is not null
                ? settings.Duration("K6_OTEL_EXPORT_INTERVAL", TimeSpan.FromSeconds(10))
                : Milliseconds(settings, "OTEL_METRIC_EXPORT_INTERVAL") ?? TimeSpan.FromSeconds(10),
            MetricPrefix = settings.Text("K6_OTEL_METRIC_PREFIX") ?? "",
            ServiceName = settings.Text("K6_OTEL_SERVICE_NAME") ?? settings.Text("OTEL_SERVICE_NAME") ?? "surge",
        };
    }

    /// <summary>
    /// k6's HOST:PORT variables (https unless K6_OTEL_*_INSECURE) win; then the metrics endpoint, used as written; then
    /// the base endpoint, to which HTTP adds /v1/metrics as the specification says; then localhost:4317 or :4318.
    /// </summary>
    private static Uri EndpointFrom(OutputSettings settings, string protocol)
    {
        var grpc = protocol == Grpc;
        var k6Variable = grpc ? "K6_OTEL_GRPC_EXPORTER_ENDPOINT" : "K6_OTEL_HTTP_EXPORTER_ENDPOINT";
        if (settings.Text(k6Variable) is { } hostPort)
        {
            var scheme = settings.Flag(grpc ? "K6_OTEL_GRPC_EXPORTER_INSECURE" : "K6_OTEL_HTTP_EXPORTER_INSECURE") ? "http" : "https";
            var path = grpc ? "" : settings.Text("K6_OTEL_HTTP_EXPORTER_URL_PATH") ?? "/v1/metrics";
            return settings.HttpUrl(k6Variable, $"{scheme}://{hostPort}{path}");
        }
        if (settings.Text("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT") is { } metrics)
        {
            return settings.HttpUrl("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", metrics);
        }
        var baseUrl = settings.Text("OTEL_EXPORTER_OTLP_ENDPOINT");
        var url = settings.HttpUrl("OTEL_EXPORTER_OTLP_ENDPOINT", baseUrl ?? (grpc ? "http://localhost:4317" : "http://localhost:4318"));
        return grpc ? url : new Uri(url.ToString().TrimEnd('/') + "/v1/metrics");
    }

    private static TimeSpan? Milliseconds(OutputSettings settings, string variable) => settings.Text(variable) switch
    {
        null => null,
        { } text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms > 0 => TimeSpan.FromMilliseconds(ms),
        { } text => throw settings.Invalid(variable, text, "a positive number of milliseconds"),
    };
}

/// <summary>
/// `-o opentelemetry` (also `experimental-opentelemetry`): OTLP metrics through the OpenTelemetry .NET SDK and its OTLP
/// exporter, with k6's mapping: counters are counters (exact: each interval's sum is added, and the temporality is
/// cumulative); gauges are gauges; rates are one counter with a `condition` attribute, zero or nonzero; trends are
/// histograms (time in ms, with Surge's Prometheus bucket bounds). Units ride along: ms for time, By for data. Tags
/// become attributes. A trend's values reach the SDK as Surge's histogram cells (3 significant digits), so counts are
/// exact and sums within 1/1024. The output exports every export interval and once more at the end, on its own task;
/// an export that fails is counted as a dropped batch, and the next one carries the same cumulative totals.
/// </summary>
public sealed class OpenTelemetryOutput : IRunOutput, IDisposable
{
    private static readonly double[] MillisecondBounds = [.. PrometheusMapping.SecondsBuckets.Select(s => s * 1000)];

    private readonly OpenTelemetryOptions _options;
    private readonly Meter _meter;
    private readonly MeterProvider _provider;
    private readonly OnDemandReader _reader;
    private readonly Dictionary<string, Instrument> _instruments = new(StringComparer.Ordinal);
    private OutputDeliveries _deliveries = new();
    private readonly PushSchedule _exports;
    private bool _pending;

    /// <summary>Sets up the SDK's meter and OTLP exporter; nothing is sent before the first export interval ends.</summary>
    /// <param name="name">The name the output goes by in warnings, e.g. "opentelemetry".</param>
    /// <param name="options">Where and how to export.</param>
    public OpenTelemetryOutput(string name, OpenTelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        _options = options;
        _exports = new PushSchedule(options.ExportInterval);
        _meter = new Meter("surge", typeof(OpenTelemetryOutput).Assembly.GetName().Version?.ToString(3));
        var exporter = new OtlpMetricExporter(new OtlpExporterOptions
        {
            Endpoint = options.Endpoint,
            Protocol = options.Protocol == OpenTelemetryOptions.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf,
            Headers = options.Headers,
            TimeoutMilliseconds = (int)options.Timeout.TotalMilliseconds,
        });
        // Exports happen when this output says so (Collect), never on a timer of the SDK's.
        _reader = new OnDemandReader(exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };
        _provider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(options.ServiceName))
            .AddMeter(_meter.Name)
            // Another run's meter in the same process has the same name: only this output's instruments are exported.
            .AddView(instrument => instrument.Meter != _meter ? MetricStreamConfiguration.Drop
                : instrument is Histogram<double> && instrument.Unit == "ms" ? new ExplicitBucketHistogramConfiguration { Boundaries = MillisecondBounds }
                : null)
            .AddReader(_reader)
            .Build();
    }

    /// <summary>The name the output goes by in the warnings about its deliveries, e.g. "opentelemetry".</summary>
    public string Name { get; }

    /// <summary>Counts export intervals from the run's wall-clock start; nothing is sent yet.</summary>
    public Task StartAsync(OutputContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _deliveries = context.Deliveries;
        _exports.Start(context.StartedAt);
        return Task.CompletedTask;
    }

    /// <summary>Records the interval into the instruments and exports once an export interval has passed.</summary>
    public async Task WriteAsync(OutputInterval interval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interval);
        foreach (var series in interval.Series)
        {
            Record(series);
        }
        _pending = true;
        if (_exports.IsDue(interval))
        {
            await ExportAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Exports the final totals when intervals arrived since the last export.</summary>
    public Task StopAsync(RunSummary summary, CancellationToken cancellationToken) =>
        _pending ? ExportAsync(cancellationToken) : Task.CompletedTask;

    private async Task ExportAsync(CancellationToken cancellationToken)
    {
        _pending = false;
        // The SDK exports synchronously; off this task's thread so a cancelled flush is not held up by it.
        var exported = await Task.Run(() => _reader.Collect((int)_options.Timeout.TotalMilliseconds), CancellationToken.None)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (exported)
        {
            _deliveries.Sent();
        }
        else
        {
            _deliveries.Drop($"the OTLP export to {_options.Endpoint} failed");
        }
    }

    private void Record(OutputSeries series)
    {
        var metric = series.Metric;
        var tags = Attributes(series.Tags);
        var values = series.Values;
        switch (metric.Kind)
        {
            case MetricKind.Counter:
                Instrument(metric, (name, unit) => _meter.CreateCounter<double>(name, unit, metric.Description)).Add(values.Sum, tags);
                break;
            case MetricKind.Gauge:
                Instrument(metric, (name, unit) => _meter.CreateGauge<double>(name, unit, metric.Description)).Record(values.Last, tags);
                break;
            case MetricKind.Rate:
                var rate = Instrument(metric, (name, _) => _meter.CreateCounter<long>(name, null, metric.Description));
                rate.Add(values.Passes, Attributes(series.Tags, "nonzero"));
                rate.Add(values.Samples - values.Passes, Attributes(series.Tags, "zero"));
                break;
            default:
                var histogram = Instrument(metric, (name, unit) => _meter.CreateHistogram<double>(name, unit, metric.Description));
                var cells = values.Histogram!;
                foreach (var cell in cells.NonEmptyBuckets())
                {
                    var value = Math.Clamp(cell.HighestValue, cells.Min, cells.Max) / MetricAggregate.TrendScale;
                    for (var i = 0L; i < cell.Count; i++)
                    {
                        histogram.Record(value, tags);
                    }
                }
                break;
        }
    }

    /// <summary>The series' tags as attributes (empty ones left out), with k6's `condition` for a rate.</summary>
    private static TagList Attributes(TagSet tags, string? condition = null)
    {
        var attributes = new TagList();
        foreach (var (key, value) in tags)
        {
            if (value.Length > 0)
            {
                attributes.Add(key, value);
            }
        }
        if (condition is not null)
        {
            attributes.Add("condition", condition);
        }
        return attributes;
    }

    private T Instrument<T>(MetricDefinition metric, Func<string, string?, T> create) where T : Instrument
    {
        if (!_instruments.TryGetValue(metric.Name, out var instrument))
        {
            var unit = metric.Contains switch
            {
                MetricContains.Time => "ms",
                MetricContains.Data => "By",
                _ => null,
            };
            instrument = create(_options.MetricPrefix + metric.Name, unit);
            _instruments.Add(metric.Name, instrument);
        }
        return (T)instrument;
    }

    /// <summary>Shuts the SDK's meter provider and meter down.</summary>
    public void Dispose()
    {
        _provider.Dispose();
        _meter.Dispose();
    }

    /// <summary>
    /// Exports only when asked. Its shutdown (when the output is disposed, after the final flush already exported)
    /// sends nothing more, so a dead collector cannot hold the process up after the summary.
    /// </summary>
    private sealed class OnDemandReader(BaseExporter<Metric> exporter) : BaseExportingMetricReader(exporter)
    {
        protected override bool OnShutdown(int timeoutMilliseconds) => exporter.Shutdown(0);
    }
}
