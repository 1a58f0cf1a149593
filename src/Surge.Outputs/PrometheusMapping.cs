using System.Globalization;
using System.Text;
using Surge.Metrics;
using Surge.Plans;
using Surge.Results;

namespace Surge.Outputs;

/// <summary>
/// One Prometheus sample: a metric name, its labels sorted by name, and a value; with the family it belongs to and the
/// family's type (counter, gauge or histogram) for the text exposition's `# TYPE` lines.
/// </summary>
internal readonly record struct PromSample(string Name, IReadOnlyList<KeyValuePair<string, string>> Labels, double Value, string Family, string Type)
{
    public PromSample(string name, IReadOnlyList<KeyValuePair<string, string>> labels, double value, string type = "gauge")
        : this(name, labels, value, name, type)
    {
    }
}

/// <summary>
/// k6's mapping of its metrics to Prometheus, kept as running totals over the whole run, as k6 keeps them:
/// the `k6_` prefix; counters `_total`; rates `_rate`; gauges plain, with the base unit (`_seconds`, `_bytes`) when
/// they hold time or data; trends one gauge per chosen statistic (`k6_http_req_duration_p99`, in seconds), and time
/// trends also as a classic cumulative histogram (`k6_http_req_duration_seconds_bucket{le=...}`, `_sum`, `_count`)
/// so that rate() and histogram_quantile() work. Used by remote write and by the /metrics endpoint alike.
/// </summary>
internal sealed class PrometheusMapping
{
    public const string DefaultTrendStats = "p(99)";

    /// <summary>Upper bounds of the time histogram in seconds: 1-2.5-5 steps from 100 µs to a minute.</summary>
    public static readonly double[] SecondsBuckets =
        [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 60];

    private static readonly string[] BucketLabels =
        [.. SecondsBuckets.Select(b => b.ToString("R", CultureInfo.InvariantCulture)), "+Inf"];

    private readonly Dictionary<(string Metric, TagSet Tags), Series> _series = [];
    private readonly (string Stat, string Suffix)[] _trendStats;

    public PrometheusMapping(IReadOnlyList<string> trendStats)
    {
        _trendStats = [.. trendStats.Select(stat => (stat, Suffix(stat)))];
    }

    /// <summary>Checks a K6_PROMETHEUS_RW_TREND_STATS list: count, sum, min, max, avg, med, p(N).</summary>
    public static IReadOnlyList<string> ParseTrendStats(IReadOnlyList<string> stats, string output, string variable)
    {
        foreach (var stat in stats)
        {
            if (stat != "sum" && !MetricAggregate.IsTrendStat(stat))
            {
                throw new PlanException($"-o {output}: {variable} has '{stat}', which is not a trend statistic; use count, sum, min, max, avg, med or p(N)");
            }
        }
        return stats.Count == 0 ? [DefaultTrendStats] : stats;
    }

    public bool IsEmpty => _series.Count == 0;

    /// <summary>Adds one interval to the running totals.</summary>
    public void Add(OutputInterval interval)
    {
        foreach (var point in interval.Series)
        {
            var key = (point.Metric.Name, point.Tags);
            if (!_series.TryGetValue(key, out var series))
            {
                series = new Series(point.Metric, Labels(point.Tags), new MetricAggregate(point.Metric.Kind));
                _series.Add(key, series);
            }
            series.Total.Merge(point.Values);
        }
    }

    /// <summary>Every series' samples as of now, the running totals included.</summary>
    public IEnumerable<PromSample> Samples()
    {
        foreach (var series in _series.Values)
        {
            var metric = series.Metric;
            var total = series.Total;
            var name = "k6_" + MetricName(metric.Name);
            switch (metric.Kind)
            {
                case MetricKind.Counter:
                    yield return new PromSample(name + "_total", series.Labels, total.Sum, "counter");
                    break;
                case MetricKind.Rate:
                    yield return new PromSample(name + "_rate", series.Labels, total.Samples == 0 ? 0 : (double)total.Passes / total.Samples);
                    break;
                case MetricKind.Gauge:
                    yield return new PromSample(name + UnitSuffix(metric.Contains), series.Labels, InBaseUnit(metric.Contains, total.Last));
                    break;
                default:
                    foreach (var sample in Trend(name, series))
                    {
                        yield return sample;
                    }
                    break;
            }
        }
    }

    private IEnumerable<PromSample> Trend(string name, Series series)
    {
        var metric = series.Metric;
        var histogram = series.Total.Histogram!;
        foreach (var (stat, suffix) in _trendStats)
        {
            var value = stat switch
            {
                "count" => histogram.TotalCount,
                "sum" => InBaseUnit(metric.Contains, histogram.Sum / MetricAggregate.TrendScale),
                _ => InBaseUnit(metric.Contains, series.Total.Stat(stat, TimeSpan.Zero) ?? 0),
            };
            yield return new PromSample($"{name}_{suffix}", series.Labels, value);
        }
        if (metric.Contains != MetricContains.Time)
        {
            yield break;
        }
        var counts = CumulativeBucketCounts(histogram);
        for (var i = 0; i < counts.Length; i++)
        {
            yield return new PromSample(name + "_seconds_bucket", WithLabel(series.Labels, "le", BucketLabels[i]), counts[i], name + "_seconds", "histogram");
        }
        yield return new PromSample(name + "_seconds_sum", series.Labels, histogram.Sum / MetricAggregate.TrendScale / 1000, name + "_seconds", "histogram");
        yield return new PromSample(name + "_seconds_count", series.Labels, histogram.TotalCount, name + "_seconds", "histogram");
    }

    /// <summary>
    /// How many values are at most each bound, the last being +Inf. Values are microseconds (milliseconds × 1000); a
    /// histogram cell counts under a bound when its lowest value does, so a count is off by at most one cell
    /// (1/1024 of the value) at the bound.
    /// </summary>
    internal static long[] CumulativeBucketCounts(Histogram histogram)
    {
        var counts = new long[SecondsBuckets.Length + 1];
        foreach (var cell in histogram.NonEmptyBuckets())
        {
            var bound = 0;
            while (bound < SecondsBuckets.Length && cell.LowestValue > SecondsBuckets[bound] * 1_000_000)
            {
                bound++;
            }
            counts[bound] += cell.Count;
        }
        for (var i = 1; i < counts.Length; i++)
        {
            counts[i] += counts[i - 1];
        }
        return counts;
    }

    /// <summary>k6's suffix for a statistic: p(99) → p99, p(99.9) → p999, the others as they are.</summary>
    internal static string Suffix(string stat) =>
        stat.StartsWith("p(", StringComparison.Ordinal) ? "p" + stat[2..^1].Replace(".", "", StringComparison.Ordinal) : stat;

    private static string UnitSuffix(MetricContains contains) => contains switch
    {
        MetricContains.Time => "_seconds",
        MetricContains.Data => "_bytes",
        _ => "",
    };

    // Surge keeps time in milliseconds, Prometheus wants seconds.
    private static double InBaseUnit(MetricContains contains, double value) => contains == MetricContains.Time ? value / 1000 : value;

    /// <summary>A metric or label name as Prometheus allows it: [a-zA-Z_][a-zA-Z0-9_]*, other characters become _.</summary>
    internal static string MetricName(string name)
    {
        var text = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        }
        if (text.Length == 0 || char.IsAsciiDigit(text[0]))
        {
            text.Insert(0, '_');
        }
        return text.ToString();
    }

    // Prometheus reads an empty label value as no label, so empty tags are left out.
    private static KeyValuePair<string, string>[] Labels(TagSet tags) =>
        [.. tags.Where(t => t.Value.Length > 0)
            .Select(t => new KeyValuePair<string, string>(MetricName(t.Key), t.Value))
            .DistinctBy(t => t.Key)
            .OrderBy(t => t.Key, StringComparer.Ordinal)];

    private static KeyValuePair<string, string>[] WithLabel(IReadOnlyList<KeyValuePair<string, string>> labels, string name, string value) =>
        [.. labels.Where(l => l.Key != name).Append(new(name, value)).OrderBy(l => l.Key, StringComparer.Ordinal)];

    private sealed record Series(MetricDefinition Metric, KeyValuePair<string, string>[] Labels, MetricAggregate Total);
}
