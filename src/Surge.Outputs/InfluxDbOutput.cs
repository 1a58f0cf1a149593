using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Surge.Metrics;
using Surge.Plans;
using Surge.Results;

namespace Surge.Outputs;

/// <summary>Settings of `-o influxdb=http://HOST:8086/DB`, with k6's K6_INFLUXDB_* variables.</summary>
public sealed record InfluxDbOptions
{
    /// <summary>Where `-o influxdb` writes with no URL, as in k6: database k6 on the local server.</summary>
    public const string DefaultUrl = "http://localhost:8086/k6";

    /// <summary>The server, without the database path.</summary>
    public required Uri Server { get; init; }

    /// <summary>The database points are written to, created at start when missing; the URL's path, k6 when empty.</summary>
    public required string Database { get; init; }

    /// <summary>K6_INFLUXDB_PUSH_INTERVAL, 1 s by default as in k6.</summary>
    public TimeSpan PushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>K6_INFLUXDB_TAGS_AS_FIELDS: tags written as fields (NAME or NAME:int|float|bool|string), not indexed.</summary>
    public IReadOnlyList<(string Tag, string Type)> TagsAsFields { get; init; } = [];

    /// <summary>Sent with every request: K6_INFLUXDB_USERNAME and K6_INFLUXDB_PASSWORD as basic auth; null for none.</summary>
    public AuthenticationHeaderValue? Authorization { get; init; }

    /// <summary>K6_INFLUXDB_INSECURE: accept any TLS certificate of an https server; false by default.</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    internal static InfluxDbOptions From(string name, string? argument, IReadOnlyDictionary<string, string> environment)
    {
        var settings = new OutputSettings(name, environment);
        var text = argument ?? DefaultUrl;
        var url = settings.HttpUrl("the URL", text);
        var database = Uri.UnescapeDataString(url.AbsolutePath.Trim('/'));
        if (database.Contains('/', StringComparison.Ordinal))
        {
            throw new PlanException($"-o {name}: '{text}' names the database '{database}'; write http://HOST:8086/DATABASE");
        }
        var tagsAsFields = new List<(string, string)>();
        foreach (var entry in settings.List("K6_INFLUXDB_TAGS_AS_FIELDS", "vu:int,iter:int,url"))
        {
            var parts = entry.Split(':', 2);
            var type = parts.Length == 2 ? parts[1] : "string";
            if (parts[0].Length == 0 || type is not ("int" or "float" or "bool" or "string"))
            {
                throw settings.Invalid("K6_INFLUXDB_TAGS_AS_FIELDS", entry, "NAME or NAME:int|float|bool|string, separated by commas");
            }
            tagsAsFields.Add((parts[0], type));
        }
        return new InfluxDbOptions
        {
            Server = new UriBuilder(url) { Path = "/", Query = "" }.Uri,
            Database = database.Length == 0 ? "k6" : database,
            PushInterval = settings.Duration("K6_INFLUXDB_PUSH_INTERVAL", TimeSpan.FromSeconds(1)),
            TagsAsFields = tagsAsFields,
            Authorization = settings.BasicAuth("K6_INFLUXDB_USERNAME", "K6_INFLUXDB_PASSWORD"),
            InsecureSkipTlsVerify = settings.Flag("K6_INFLUXDB_INSECURE"),
        };
    }
}

/// <summary>
/// `-o influxdb`: InfluxDB v1 line protocol with k6's names, the measurement being the metric and the tags its tags.
/// Each point is one series' aggregate over one interval (Surge keeps no raw samples): counters the interval's sum, so
/// summing `value` gives the true total; gauges the last value; rates the interval's rate with `passes` and `count`;
/// trends the interval's average as `value`, with count, sum, min, max, med, p90, p95 and p99. Intervals are batched
/// per push interval; a batch that fails is kept and sent again with the next, up to <see cref="MaxPendingBatches"/>,
/// beyond which the oldest is dropped and counted. The database is created when missing, as k6 does.
/// </summary>
public sealed class InfluxDbOutput(string name, InfluxDbOptions options) : IRunOutput, IDisposable
{
    /// <summary>Intervals kept for a backend that does not take them: a minute at the default interval.</summary>
    internal const int MaxPendingBatches = 60;

    private static readonly string[] TrendFields = ["med", "p(90)", "p(95)", "p(99)"];

    private readonly HttpClient _client = HttpDelivery.CreateClient(options.InsecureSkipTlsVerify);
    private readonly Dictionary<string, string> _tagsAsFields = options.TagsAsFields.ToDictionary(t => t.Tag, t => t.Type, StringComparer.Ordinal);
    private readonly LinkedList<string> _pending = new();
    private OutputDeliveries _deliveries = new();
    private readonly PushSchedule _pushes = new(options.PushInterval);
    private string _lastReason = "";

    /// <summary>The name the output goes by in the warnings about its deliveries, e.g. "influxdb".</summary>
    public string Name => name;

    /// <summary>Creates the database when missing; a server that refuses is reported as a problem, and the run goes on.</summary>
    public async Task StartAsync(OutputContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        _deliveries = context.Deliveries;
        _pushes.Start(context.StartedAt);
        var query = $"CREATE DATABASE \"{options.Database.Replace("\"", "\\\"", StringComparison.Ordinal)}\"";
        using var request = Request(new Uri(options.Server, "query"), new FormUrlEncodedContent([new("q", query)]));
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await HttpDelivery.EnsureDeliveredAsync(response, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            _deliveries.Problem($"could not create the database '{options.Database}' ({OutputDeliveries.Reason(exception)})");
        }
    }

    /// <summary>Adds the interval's points to the batch and sends what is pending once a push interval has passed.</summary>
    public async Task WriteAsync(OutputInterval interval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interval);
        var lines = Lines(interval);
        if (lines.Length > 0)
        {
            _pending.AddLast(lines);
            while (_pending.Count > MaxPendingBatches)
            {
                _pending.RemoveFirst();
                _deliveries.Drop(_lastReason);
            }
        }
        if (_pushes.IsDue(interval))
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Sends every pending batch; what still cannot be delivered is counted as dropped.</summary>
    public async Task StopAsync(RunSummary summary, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        if (_pending.Count > 0)
        {
            _deliveries.Drop(_lastReason, _pending.Count);
            _pending.Clear();
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0)
        {
            return;
        }
        var batches = _pending.Count;
        var body = string.Concat(_pending);
        var uri = new Uri(options.Server, $"write?db={Uri.EscapeDataString(options.Database)}&precision=ms");
        using var request = Request(uri, new StringContent(body, Encoding.UTF8, "text/plain"));
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            await HttpDelivery.EnsureDeliveredAsync(response, cancellationToken).ConfigureAwait(false);
            _pending.Clear();
            _deliveries.Sent(batches);
        }
        catch (DeliveryException refused) when (refused.IsPermanent)
        {
            // The server read the batch and rejected it: sending it again would fail the same way.
            _pending.Clear();
            _deliveries.Drop(refused.Message, batches);
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            _lastReason = OutputDeliveries.Reason(exception);
        }
    }

    private HttpRequestMessage Request(Uri uri, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = content };
        request.Headers.Authorization = options.Authorization;
        return request;
    }

    /// <summary>One line per series with data in the interval, all stamped with the interval's wall-clock end in ms.</summary>
    internal string Lines(OutputInterval interval)
    {
        var text = new StringBuilder();
        var time = interval.Time.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        foreach (var series in interval.Series)
        {
            text.Append(Escape(series.Metric.Name, measurement: true));
            var fields = new List<string>();
            foreach (var (key, value) in series.Tags)
            {
                if (_tagsAsFields.TryGetValue(key, out var type))
                {
                    fields.Add(Escape(key, measurement: false) + "=" + FieldValue(value, type));
                }
                else if (value.Length > 0)
                {
                    text.Append(',').Append(Escape(key, measurement: false)).Append('=').Append(Escape(value, measurement: false));
                }
            }
            text.Append(' ');
            var values = series.Values;
            switch (series.Metric.Kind)
            {
                case MetricKind.Counter:
                    fields.Insert(0, "value=" + Number(values.Sum));
                    break;
                case MetricKind.Gauge:
                    fields.Insert(0, "value=" + Number(values.Last));
                    break;
                case MetricKind.Rate:
                    fields.InsertRange(0, ["value=" + Number((double)values.Passes / values.Samples), "passes=" + Number(values.Passes), "count=" + Number(values.Samples)]);
                    break;
                default:
                    var histogram = values.Histogram!;
                    fields.InsertRange(0,
                    [
                        "value=" + Number(values.Stat("avg", interval.Length)!.Value),
                        "count=" + Number(histogram.TotalCount),
                        "sum=" + Number(histogram.Sum / MetricAggregate.TrendScale),
                        "min=" + Number(values.Stat("min", interval.Length)!.Value),
                        "max=" + Number(values.Stat("max", interval.Length)!.Value),
                        .. TrendFields.Select(stat => PrometheusMapping.Suffix(stat) + "=" + Number(values.Stat(stat, interval.Length)!.Value)),
                    ]);
                    break;
            }
            text.AppendJoin(',', fields).Append(' ').Append(time).Append('\n');
        }
        return text.ToString();
    }

    // Every numeric field is a float, as k6 writes them: a field's type must never change within a measurement.
    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string FieldValue(string value, string type) => type switch
    {
        "int" when long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i.ToString(CultureInfo.InvariantCulture) + "i",
        "float" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) => Number(f),
        "bool" when bool.TryParse(value, out var b) => b ? "true" : "false",
        _ => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"",
    };

    // Line protocol: measurements escape commas and spaces; tag keys and values also equals signs.
    private static string Escape(string text, bool measurement)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c == ',' || c == ' ' || (!measurement && c == '=') || c == '\\')
            {
                escaped.Append('\\');
            }
            escaped.Append(c is '\n' or '\r' ? ' ' : c);
        }
        return escaped.ToString();
    }

    /// <summary>Releases the HTTP client.</summary>
    public void Dispose() => _client.Dispose();
}
