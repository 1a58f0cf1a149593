using System.Globalization;
using System.Text.Json;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting;

/// <summary>
/// k6's `--out json=FILE`: newline-delimited JSON, a `Metric` line the first time a metric has data, then `Point`
/// lines. Surge keeps no raw samples, so each series writes one point per interval with the interval's aggregate:
/// counters their sum, rates their rate (with count and passes), trends their avg (with count, min, max and
/// percentiles), gauges their last value. Lines are flushed every interval, so the file can be followed live.
/// Points carry the interval's wall-clock time from the output host.
/// </summary>
public sealed class NdjsonOutput : IRunOutput, IDisposable
{
    private static readonly string[] TrendStats = ["count", "avg", "min", "max", "p(50)", "p(90)", "p(95)", "p(99)"];

    private readonly Stream _destination;
    private readonly bool _ownsDestination;
    private readonly Utf8JsonWriter _json;
    private readonly HashSet<string> _described = new(StringComparer.Ordinal);

    /// <summary>Writes to a stream the caller owns and closes (e.g. a pipe); <see cref="Create"/> opens a file instead.</summary>
    public NdjsonOutput(Stream destination)
        : this(destination, ownsDestination: false)
    {
    }

    private NdjsonOutput(Stream destination, bool ownsDestination)
    {
        _destination = destination;
        _ownsDestination = ownsDestination;
        _json = new Utf8JsonWriter(destination, new JsonWriterOptions { Encoder = JsonOutput.WriterOptions.Encoder });
    }

    /// <summary>Creates (or truncates) the file, and its directory if need be; the output owns and closes it.</summary>
    public static NdjsonOutput Create(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        return new NdjsonOutput(File.Create(path), ownsDestination: true);
    }

    /// <summary>"json", k6's name for this output (`--out json=FILE`).</summary>
    public string Name => "json";

    /// <summary>Writes nothing: a metric's description comes with its first point.</summary>
    public Task StartAsync(OutputContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Writes the interval's points (and a `Metric` line for each metric seen for the first time), then flushes.</summary>
    public Task WriteAsync(OutputInterval interval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interval);
        var time = interval.Time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture);
        foreach (var series in interval.Series)
        {
            if (_described.Add(series.Metric.Name))
            {
                WriteMetric(series.Metric, interval.Thresholds);
            }
            WritePoint(series.Metric, series.Tags, series.Values, interval.Length, time);
        }
        _destination.Flush();
        return Task.CompletedTask;
    }

    /// <summary>Flushes; the stream stays open until <see cref="Dispose"/>.</summary>
    public Task StopAsync(RunSummary summary, CancellationToken cancellationToken)
    {
        _destination.Flush();
        return Task.CompletedTask;
    }

    /// <summary>Releases the JSON writer, and closes the file when <see cref="Create"/> opened it.</summary>
    public void Dispose()
    {
        _json.Dispose();
        if (_ownsDestination)
        {
            _destination.Dispose();
        }
    }

    private void WriteMetric(MetricDefinition metric, IReadOnlyList<ThresholdResult> thresholds)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "Metric");
        _json.WriteStartObject("data");
        _json.WriteString("name", metric.Name);
        _json.WriteString("type", metric.Kind.ToString().ToLowerInvariant());
        _json.WriteString("contains", metric.Contains.ToString().ToLowerInvariant());
        _json.WriteStartArray("thresholds");
        foreach (var threshold in thresholds)
        {
            // As in k6, a threshold on a tag filter belongs to that submetric, not to the metric itself.
            if (threshold.Key.Metric == metric.Name && threshold.Key.Filter.Count == 0)
            {
                _json.WriteStringValue(threshold.Expression.Text);
            }
        }
        _json.WriteEndArray();
        _json.WriteNull("submetrics");
        _json.WriteEndObject();
        _json.WriteString("metric", metric.Name);
        _json.WriteEndObject();
        EndLine();
    }

    private void WritePoint(MetricDefinition metric, TagSet tags, MetricAggregate interval, TimeSpan length, string time)
    {
        _json.WriteStartObject();
        _json.WriteString("type", "Point");
        _json.WriteStartObject("data");
        _json.WriteString("time", time);
        switch (metric.Kind)
        {
            case MetricKind.Counter:
                _json.WriteNumber("value", interval.Sum);
                break;
            case MetricKind.Rate:
                _json.WriteNumber("value", interval.Stat("rate", length)!.Value);
                _json.WriteNumber("count", interval.Samples);
                _json.WriteNumber("passes", interval.Passes);
                break;
            case MetricKind.Gauge:
                _json.WriteNumber("value", interval.Last);
                break;
            default:
                _json.WriteNumber("value", interval.Stat("avg", length)!.Value);
                foreach (var stat in TrendStats)
                {
                    _json.WriteNumber(stat, interval.Stat(stat, length)!.Value);
                }
                break;
        }
        _json.WriteStartObject("tags");
        foreach (var (key, value) in tags)
        {
            _json.WriteString(key, value);
        }
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteString("metric", metric.Name);
        _json.WriteEndObject();
        EndLine();
    }

    private void EndLine()
    {
        _json.Flush();
        _destination.WriteByte((byte)'\n');
        _json.Reset();
    }
}
