using System.Globalization;
using System.Text;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting;

/// <summary>
/// Locust's `--csv PREFIX` files, with Locust 2.x's exact headers and number styles, so that tools and notebooks
/// built for Locust read Surge's: PREFIX_stats.csv (one row per endpoint and an Aggregated row),
/// PREFIX_stats_history.csv (one Aggregated row per timeline point) and PREFIX_failures.csv.
/// </summary>
public static class LocustCsv
{
    internal const string StatsHeader =
        "Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time," +
        "Max Response Time,Average Content Size,Requests/s,Failures/s," + PercentileHeader;

    internal const string HistoryHeader =
        "Timestamp,User Count,Type,Name,Requests/s,Failures/s," + PercentileHeader + ",Total Request Count," +
        "Total Failure Count,Total Median Response Time,Total Average Response Time,Total Min Response Time," +
        "Total Max Response Time,Total Average Content Size";

    internal const string FailuresHeader = "Method,Name,Error,Occurrences";

    private const string PercentileHeader = "50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%";

    private static readonly double[] Percentiles = [50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100];

    /// <summary>Writes the three files beside each other; returns their paths.</summary>
    public static IReadOnlyList<string> Write(RunSummary summary, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var directory = Path.GetDirectoryName(Path.GetFullPath(prefix));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        var files = new (string Path, Action<RunSummary, TextWriter> Write)[]
        {
            (prefix + "_stats.csv", WriteStats),
            (prefix + "_stats_history.csv", WriteHistory),
            (prefix + "_failures.csv", WriteFailures),
        };
        foreach (var (path, write) in files)
        {
            using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            write(summary, writer);
        }
        return [.. files.Select(f => f.Path)];
    }

    /// <summary>One row per endpoint sorted as Locust sorts (by name, then method), then the Aggregated row.</summary>
    public static void WriteStats(RunSummary summary, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(writer);
        WriteLine(writer, StatsHeader);
        var endpoints = EndpointTable.From(summary)
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();
        var total = new MetricAggregate(MetricKind.Trend);
        foreach (var endpoint in endpoints)
        {
            total.Merge(endpoint.Duration);
            WriteStatsRow(writer, endpoint.Method, endpoint.Name, endpoint.Requests, endpoint.Failures, endpoint.DataReceived,
                endpoint.Duration.Histogram!, summary.Duration);
        }
        WriteStatsRow(writer, "", "Aggregated", endpoints.Sum(e => e.Requests), endpoints.Sum(e => e.Failures),
            endpoints.Sum(e => e.DataReceived), total.Histogram!, summary.Duration);
    }

    private static void WriteStatsRow(
        TextWriter writer, string type, string name, long requests, long failures, long dataReceived, Histogram duration, TimeSpan elapsed)
    {
        var seconds = elapsed.TotalSeconds;
        WriteLine(writer,
        [
            Field(type), Field(name), Integer(requests), Integer(failures),
            Median(duration), Float(Milliseconds(duration.Mean)), .. Extremes(duration, requests, dataReceived),
            Float(seconds > 0 ? requests / seconds : 0), Float(seconds > 0 ? failures / seconds : 0),
            .. PercentileFields(duration),
        ]);
    }

    /// <summary>
    /// One Aggregated row per timeline point, stamped with the point's end: Requests/s, Failures/s and the percentiles
    /// are the point's own, the "Total" columns cover the run from its start to the end of the point.
    /// </summary>
    public static void WriteHistory(RunSummary summary, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(writer);
        WriteLine(writer, HistoryHeader);
        var cumulative = new Histogram();
        long requests = 0, failures = 0, dataReceived = 0;
        foreach (var point in summary.Timeline)
        {
            var duration = point.Duration();
            cumulative.Add(duration);
            requests += point.Requests;
            failures += point.FailedRequests;
            dataReceived += point.DataReceived;
            var seconds = point.Length.TotalSeconds;
            var end = summary.StartedAt + point.Start + point.Length;
            WriteLine(writer,
            [
                Integer(end.ToUnixTimeSeconds()), Integer(point.Vus), "", "Aggregated",
                Fixed6(seconds > 0 ? point.Requests / seconds : 0), Fixed6(seconds > 0 ? point.FailedRequests / seconds : 0),
                .. PercentileFields(duration),
                Integer(requests), Integer(failures), Median(cumulative), Float(Milliseconds(cumulative.Mean)),
                .. Extremes(cumulative, requests, dataReceived),
            ]);
        }
    }

    /// <summary>
    /// One row per endpoint and cause of failure, most frequent first: "HTTP 503" for an unexpected status, the
    /// k6 error code (e.g. "connection_refused") for a request that got no response.
    /// </summary>
    public static void WriteFailures(RunSummary summary, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(writer);
        WriteLine(writer, FailuresHeader);
        var failures = new Dictionary<(string Method, string Name, string Error), long>();
        foreach (var series in summary.Find(BuiltinMetrics.HttpReqFailed.Name)?.Series ?? [])
        {
            if (series.Values.Passes == 0)
            {
                continue;
            }
            var tags = series.Tags;
            var error = tags["error_code"] ?? $"HTTP {tags["status"] ?? "0"}";
            var (method, name) = EndpointTable.KeyOf(tags);
            var key = (method, name, error);
            failures[key] = failures.GetValueOrDefault(key) + series.Values.Passes;
        }
        foreach (var ((method, name, error), count) in failures
            .OrderByDescending(f => f.Value)
            .ThenBy(f => f.Key.Name, StringComparer.Ordinal)
            .ThenBy(f => f.Key.Method, StringComparer.Ordinal)
            .ThenBy(f => f.Key.Error, StringComparer.Ordinal))
        {
            WriteLine(writer, [Field(method), Field(name), Field(error), Integer(count)]);
        }
    }

    // Locust rounds percentiles and the median to whole milliseconds (2 significant digits above 100 ms); the same
    // columns here keep the histogram's microseconds, which every CSV reader parses just as well. N/A without requests.
    private static IEnumerable<string> PercentileFields(Histogram duration) =>
        duration.TotalCount == 0
            ? Percentiles.Select(_ => "N/A")
            : Percentiles.Select(p => Float(Microseconds(Milliseconds(duration.ValueAtPercentile(p)))));

    /// <summary>Min, max and average content size; Locust writes the integer 0 for each before any request.</summary>
    private static string[] Extremes(Histogram duration, long requests, long dataReceived) =>
        requests == 0 || duration.TotalCount == 0
            ? ["0", "0", "0"]
            : [Float(Milliseconds(duration.Min)), Float(Milliseconds(duration.Max)), Float((double)dataReceived / requests)];

    private static string Median(Histogram duration) =>
        duration.TotalCount == 0 ? "0" : Float(Microseconds(Milliseconds(duration.ValueAtPercentile(50))));

    // Microseconds, as the histogram records them: the same value the summary and the JSON exports report.
    private static double Microseconds(double value) => Math.Round(value, 3);

    private static double Milliseconds(double fixedPoint) => fixedPoint / MetricAggregate.TrendScale;

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Python's repr of a float, as Locust writes them: shortest round-trip digits, "2.0" not "2".</summary>
    private static string Float(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    /// <summary>Locust's history rates, formatted with Python's "%2f": six decimals.</summary>
    private static string Fixed6(double value) => value.ToString("F6", CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 quoting, as Python's csv module does it: only fields with a comma, quote or line break.</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static void WriteLine(TextWriter writer, IEnumerable<string> fields) => WriteLine(writer, string.Join(',', fields));

    // Python's csv writer ends every row with \r\n.
    private static void WriteLine(TextWriter writer, string line)
    {
        writer.Write(line);
        writer.Write("\r\n");
    }
}
