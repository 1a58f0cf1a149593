using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Surge.Metrics;
using Surge.Results;
using Surge.Thresholds;
using static Surge.Reporting.JsonOutput;

namespace Surge.Reporting;

/// <summary>
/// k6's legacy `--summary-export` file: `{"root_group": {...}, "metrics": {...}}`, so that tools reading k6's
/// file (HTML reporters, CI scripts) read Surge's too.
/// </summary>
public static class SummaryExport
{
    private static readonly string[] LegacyTrendStats = ["count", "avg", "min", "med", "max", "p(90)", "p(95)", "p(99)"];

    /// <summary>Writes the file as UTF-8 JSON: checks under their groups, each metric with k6's legacy statistics and its thresholds.</summary>
    public static void Write(RunSummary summary, Stream destination)
    {
        using var json = new Utf8JsonWriter(destination, JsonOutput.WriterOptions);
        json.WriteStartObject();
        json.WritePropertyName("root_group");
        WriteRootGroup(json, CheckResults.From(summary));
        json.WriteStartObject("metrics");
        foreach (var (key, metric, values) in Entries(summary))
        {
            json.WritePropertyName(key);
            WriteMetric(json, summary, key, metric.Definition, values);
        }
        json.WriteEndObject();
        WriteFailures(json, summary);
        json.WriteEndObject();
    }

    /// <summary>
    /// Surge's addition beside k6's keys: failed requests by error code and status, e.g.
    /// `{"error_code": "connection_refused", "status": 0, "count": 256}`, most frequent first.
    /// </summary>
    private static void WriteFailures(Utf8JsonWriter json, RunSummary summary)
    {
        json.WriteStartArray("failures");
        foreach (var failure in FailureTable.From(summary))
        {
            json.WriteStartObject();
            if (failure.ErrorCode is { } code)
            {
                json.WriteString("error_code", code);
            }
            else
            {
                json.WriteNull("error_code");
            }
            json.WriteNumber("status", failure.Status);
            json.WriteNumber("count", failure.Count);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// Every metric with data or thresholds, plus one entry per tag-filtered threshold key and, as k6 does, the
    /// `http_req_duration{expected_response:true}` submetric when such series exist. Sorted for a stable file.
    /// </summary>
    private static IEnumerable<(string Key, MetricSummary Metric, MetricAggregate Values)> Entries(RunSummary summary)
    {
        var keys = new SortedDictionary<string, MetricKey>(StringComparer.Ordinal);
        foreach (var metric in summary.Metrics)
        {
            if (!metric.Total.IsEmpty)
            {
                keys[metric.Definition.Name] = new MetricKey(metric.Definition.Name, TagSet.Empty);
            }
        }
        foreach (var threshold in summary.Thresholds)
        {
            keys[threshold.Key.ToString()] = threshold.Key;
        }
        var expected = new MetricKey(BuiltinMetrics.HttpReqDuration.Name, TagSet.Empty.With("expected_response", "true"));
        if (summary.Find(expected.Metric)?.Series.Any(s => s.Tags.Matches(expected.Filter)) == true)
        {
            keys[expected.ToString()] = expected;
        }
        foreach (var (text, key) in keys)
        {
            var metric = summary.Find(key.Metric);
            if (metric is not null)
            {
                yield return (text, metric, summary.Aggregate(key)!);
            }
        }
    }

    private static void WriteMetric(Utf8JsonWriter json, RunSummary summary, string key, MetricDefinition definition, MetricAggregate values)
    {
        var elapsed = summary.Duration;
        json.WriteStartObject();
        switch (definition.Kind)
        {
            case MetricKind.Counter:
                NumberOrNull(json, "count", values.Stat("count", elapsed)!.Value);
                NumberOrNull(json, "rate", values.Stat("rate", elapsed)!.Value);
                break;
            case MetricKind.Rate:
                json.WriteNumber("passes", values.Passes);
                json.WriteNumber("fails", values.Samples - values.Passes);
                NumberOrNull(json, "value", values.Stat("rate", elapsed)!.Value);
                NumberOrNull(json, "rate", values.Stat("rate", elapsed)!.Value);
                break;
            case MetricKind.Gauge:
                NumberOrNull(json, "value", values.Stat("value", elapsed)!.Value);
                NumberOrNull(json, "min", values.Stat("min", elapsed)!.Value);
                NumberOrNull(json, "max", values.Stat("max", elapsed)!.Value);
                break;
            default:
                foreach (var stat in LegacyTrendStats.Concat(summary.SummaryTrendStats).Distinct(StringComparer.Ordinal))
                {
                    if (values.Stat(stat, elapsed) is { } value)
                    {
                        NumberOrNull(json, stat, value);
                    }
                }
                break;
        }
        var thresholds = summary.Thresholds.Where(t => t.Key.ToString() == key).ToList();
        if (thresholds.Count > 0)
        {
            // k6's legacy file writes `true` when a threshold FAILED and `false` when it passed (grafana/k6#1498;
            // kept by k6 for compatibility and documented in grafana/k6-docs#30). Tools written for k6's file
            // read it that way, so Surge writes the same inverted flag here; the result file says `passed`.
            json.WriteStartObject("thresholds");
            foreach (var threshold in thresholds)
            {
                json.WriteBoolean(threshold.Expression.Text, !threshold.Passed);
            }
            json.WriteEndObject();
            // Why a threshold has no number: k6's flag cannot say it, so a sibling object does.
            var noData = thresholds.Where(t => t.Observed is null).ToList();
            if (noData.Count > 0)
            {
                json.WriteStartObject("threshold_reasons");
                foreach (var threshold in noData)
                {
                    json.WriteString(threshold.Expression.Text, threshold.Passed ? "no data (allowed)" : "no data");
                }
                json.WriteEndObject();
            }
        }
        json.WriteEndObject();
    }

    /// <summary>k6's root group: groups and checks keyed by name, each with its `::`-separated path and md5 id.</summary>
    private static void WriteRootGroup(Utf8JsonWriter json, IReadOnlyList<CheckResult> checks)
    {
        var root = new GroupNode("", "");
        foreach (var check in checks)
        {
            var node = root;
            foreach (var name in check.Group.Split("::", StringSplitOptions.RemoveEmptyEntries))
            {
                node = node.Child(name);
            }
            node.Checks.Add(check);
        }
        WriteGroup(json, root);
    }

    private static void WriteGroup(Utf8JsonWriter json, GroupNode group)
    {
        json.WriteStartObject();
        json.WriteString("name", group.Name);
        json.WriteString("path", group.Path);
        json.WriteString("id", Id(group.Path));
        json.WriteStartObject("groups");
        foreach (var child in group.Groups)
        {
            json.WritePropertyName(child.Name);
            WriteGroup(json, child);
        }
        json.WriteEndObject();
        json.WriteStartObject("checks");
        foreach (var check in group.Checks)
        {
            var path = group.Path + "::" + check.Name;
            json.WriteStartObject(check.Name);
            json.WriteString("name", check.Name);
            json.WriteString("path", path);
            json.WriteString("id", Id(path));
            json.WriteNumber("passes", check.Passes);
            json.WriteNumber("fails", check.Fails);
            json.WriteEndObject();
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    [SuppressMessage("Security", "CA5351:Do not use broken cryptographic algorithms",
        Justification = "k6 identifies groups and checks by the md5 of their path; it is a name, not a security measure.")]
    private static string Id(string path) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(path)));

    private sealed class GroupNode(string name, string path)
    {
        public string Name { get; } = name;

        public string Path { get; } = path;

        public List<GroupNode> Groups { get; } = [];

        public List<CheckResult> Checks { get; } = [];

        public GroupNode Child(string childName)
        {
            var child = Groups.FirstOrDefault(g => g.Name == childName);
            if (child is null)
            {
                child = new GroupNode(childName, Path + "::" + childName);
                Groups.Add(child);
            }
            return child;
        }
    }
}
