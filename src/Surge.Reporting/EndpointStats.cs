using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting;

/// <summary>
/// One endpoint (method and `name` tag) over the whole run, merged over its status, scenario and group series.
/// Every per-endpoint table reads this: CSV stats, the HTML table, findings and compare.
/// </summary>
internal sealed record EndpointStats(string Method, string Name)
{
    public long Requests { get; init; }

    /// <summary>Requests counted as failed by http_req_failed (an unexpected status or a network error).</summary>
    public long Failures { get; init; }

    /// <summary>http_req_duration over the whole run (histogram, count, min, max).</summary>
    public required MetricAggregate Duration { get; init; }

    public long DataReceived { get; init; }

    /// <summary>Requests per status code; 0 is a request that ended in a network error.</summary>
    public IReadOnlyDictionary<int, long> Statuses { get; init; } = new Dictionary<int, long>();

    /// <summary>Requests per k6 error code (network errors, e.g. "request_timeout").</summary>
    public IReadOnlyDictionary<string, long> ErrorCodes { get; init; } = new Dictionary<string, long>();

    /// <summary>The failed requests by cause (error code or unexpected status), each request counted once.</summary>
    public IReadOnlyList<FailureCause> FailureCauses { get; init; } = [];

    public double ErrorRate => Requests == 0 ? 0 : (double)Failures / Requests;

    /// <summary>Every request failed: the latency is that of failing, not of the endpoint doing its work.</summary>
    public bool FailedEveryRequest => Requests > 0 && Failures >= Requests;

    public double RequestsPerSecond(TimeSpan duration) => duration > TimeSpan.Zero ? Requests / duration.TotalSeconds : 0;

    /// <summary>A percentile (0 to 100) of http_req_duration in milliseconds; 0 when no duration was recorded.</summary>
    public double Percentile(double percentile) =>
        Duration.Stat($"p({percentile.ToString(System.Globalization.CultureInfo.InvariantCulture)})", TimeSpan.Zero)
        ?? throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "a percentile lies between 0 and 100");

    public string Label => $"{Method} {Name}";
}

internal static class EndpointTable
{
    /// <summary>Every endpoint the run requested, busiest first, ties by label.</summary>
    public static IReadOnlyList<EndpointStats> From(RunSummary summary)
    {
        var builders = new Dictionary<(string Method, string Name), Builder>();
        Builder For(TagSet tags)
        {
            var key = KeyOf(tags);
            if (!builders.TryGetValue(key, out var builder))
            {
                builder = new Builder();
                builders[key] = builder;
            }
            return builder;
        }

        foreach (var series in Series(summary, BuiltinMetrics.HttpReqs))
        {
            var builder = For(series.Tags);
            var count = (long)series.Values.Sum;
            builder.Requests += count;
            var status = int.TryParse(series.Tags["status"], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 0;
            builder.Statuses[status] = builder.Statuses.GetValueOrDefault(status) + count;
            if (series.Tags["error_code"] is { } error)
            {
                builder.ErrorCodes[error] = builder.ErrorCodes.GetValueOrDefault(error) + count;
            }
        }
        foreach (var series in Series(summary, BuiltinMetrics.HttpReqFailed))
        {
            var builder = For(series.Tags);
            builder.Failures += series.Values.Passes;
            builder.FailedSeries.Add(series);
        }
        foreach (var series in Series(summary, BuiltinMetrics.HttpReqDuration))
        {
            For(series.Tags).Duration.Merge(series.Values);
        }
        foreach (var series in Series(summary, BuiltinMetrics.DataReceived))
        {
            if (series.Tags["method"] is not null)
            {
                For(series.Tags).DataReceived += (long)series.Values.Sum;
            }
        }
        return
        [
            .. builders
                .Where(b => b.Value.Requests > 0)
                .Select(b => new EndpointStats(b.Key.Method, b.Key.Name)
                {
                    Requests = b.Value.Requests,
                    Failures = b.Value.Failures,
                    Duration = b.Value.Duration,
                    DataReceived = b.Value.DataReceived,
                    Statuses = b.Value.Statuses,
                    ErrorCodes = b.Value.ErrorCodes,
                    FailureCauses = FailureTable.From(b.Value.FailedSeries),
                })
                .OrderByDescending(e => e.Requests)
                .ThenBy(e => e.Label, StringComparer.Ordinal),
        ];
    }

    /// <summary>The endpoint a series belongs to: its method and its `name` tag, or its URL when it has no name.</summary>
    internal static (string Method, string Name) KeyOf(TagSet tags) => (tags["method"] ?? "", tags["name"] ?? tags["url"] ?? "");

    private static IEnumerable<MetricSeries> Series(RunSummary summary, MetricDefinition metric) =>
        summary.Find(metric.Name)?.Series ?? [];

    private sealed class Builder
    {
        public long Requests { get; set; }

        public long Failures { get; set; }

        public MetricAggregate Duration { get; } = new(MetricKind.Trend);

        public long DataReceived { get; set; }

        public SortedDictionary<int, long> Statuses { get; } = [];

        public SortedDictionary<string, long> ErrorCodes { get; } = new(StringComparer.Ordinal);

        public List<MetricSeries> FailedSeries { get; } = [];
    }
}
