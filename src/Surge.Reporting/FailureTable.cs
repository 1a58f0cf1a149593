using System.Globalization;
using Surge.Metrics;
using Surge.Plans;
using Surge.Results;

namespace Surge.Reporting;

/// <summary>
/// One cause of failed requests: a network error code (status 0, or the status it came with) or a status the test
/// did not expect. A request has exactly one cause, so counts add up to the failed requests.
/// </summary>
internal sealed record FailureCause(string? ErrorCode, int Status, long Count)
{
    /// <summary>"connection_refused", "status 503", "response_too_large (status 200)".</summary>
    public string Label => ErrorCode switch
    {
        null => "status " + Status.ToString(CultureInfo.InvariantCulture),
        _ when Status == 0 => ErrorCode,
        _ => $"{ErrorCode} (status {Status.ToString(CultureInfo.InvariantCulture)})",
    };

    /// <summary>"connection_refused ×256".</summary>
    public override string ToString() => $"{Label} ×{Count.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>Whether a run measured anything but failure: the facts the summary's first line and the findings lead with.</summary>
internal sealed record FailureOverview(long Requests, IReadOnlyList<FailureCause> Causes, bool NoIterationCompleted)
{
    public long Failed => Causes.Sum(c => c.Count);

    public bool EveryRequestFailed => Requests > 0 && Failed >= Requests;

    public static FailureOverview Of(RunSummary summary) => new(
        (long)(summary.Find(BuiltinMetrics.HttpReqs.Name)?.Total.Sum ?? 0),
        FailureTable.From(summary),
        summary.Scenarios.Count > 0 && summary.Scenarios.Sum(s => s.CompletedIterations) == 0);
}

/// <summary>One protocol's failed calls or sessions by cause, out of <see cref="Total"/> of them.</summary>
internal sealed record ProtocolFailures(string Title, string Noun, string Plural, long Total, IReadOnlyList<FailureCause> Causes)
{
    public long Failed => Causes.Sum(c => c.Count);

    public bool EveryOneFailed => Total > 0 && Failed >= Total;
}

internal static class FailureTable
{
    /// <summary>Failed requests (as http_req_failed counts them) by cause, most frequent first, ties by label.</summary>
    public static IReadOnlyList<FailureCause> From(RunSummary summary) => From(summary.Find(BuiltinMetrics.HttpReqFailed.Name)?.Series ?? []);

    /// <summary>The same over any set of http_req_failed series, e.g. one endpoint's.</summary>
    public static IReadOnlyList<FailureCause> From(IEnumerable<MetricSeries> failedSeries) =>
        From(failedSeries, series => (series.Tags["error_code"], Status(series)));

    /// <summary>
    /// Failed gRPC calls and WebSocket sessions, each protocol by its own causes. A gRPC call fails with the transport's
    /// error code (stream_reset, connection_refused), else its status by name, where k6's tag holds the number (14 is
    /// UNAVAILABLE). A WebSocket session fails with an error code, or the handshake's status when the server refused the
    /// upgrade (a session that was upgraded has 101, which says nothing about how it failed).
    /// </summary>
    public static IReadOnlyList<ProtocolFailures> OtherProtocols(RunSummary summary) =>
    [
        Of(summary, BuiltinMetrics.GrpcReqFailed, "FAILED gRPC CALLS", "gRPC call", "calls", series => (series.Tags["error_code"] ?? GrpcStatus(series), 0)),
        Of(summary, BuiltinMetrics.WsSessionFailed, "FAILED WEBSOCKET SESSIONS", "WebSocket session", "sessions", series => (series.Tags["error_code"], Status(series) is var s && s == 101 ? 0 : s)),
    ];

    private static ProtocolFailures Of(RunSummary summary, MetricDefinition failed, string title, string noun, string plural,
        Func<MetricSeries, (string?, int)> cause) =>
        summary.Find(failed.Name) is { } metric
            ? new ProtocolFailures(title, noun, plural, metric.Total.Samples, From(metric.Series, cause))
            : new ProtocolFailures(title, noun, plural, 0, []);

    private static IReadOnlyList<FailureCause> From(IEnumerable<MetricSeries> failedSeries, Func<MetricSeries, (string? ErrorCode, int Status)> cause)
    {
        var counts = new Dictionary<(string? ErrorCode, int Status), long>();
        foreach (var series in failedSeries)
        {
            if (series.Values.Passes == 0)
            {
                continue;
            }
            var key = cause(series);
            counts[key] = counts.GetValueOrDefault(key) + series.Values.Passes;
        }
        return
        [
            .. counts
                .Select(c => new FailureCause(c.Key.ErrorCode, c.Key.Status, c.Value))
                .OrderByDescending(c => c.Count)
                .ThenBy(c => c.Label, StringComparer.Ordinal),
        ];
    }

    private static int Status(MetricSeries series) =>
        int.TryParse(series.Tags["status"], NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : 0;

    private static string GrpcStatus(MetricSeries series) => Status(series) is var code && code < GrpcStatusNames.All.Count
        ? GrpcStatusNames.All[code]
        : "status " + series.Tags["status"];

    /// <summary>The first few causes as one phrase, "connection_refused ×200, status 503 ×12 and 2 more causes".</summary>
    public static string Describe(IReadOnlyList<FailureCause> causes, int shown = 3)
    {
        var text = string.Join(", ", causes.Take(shown));
        var more = causes.Count - shown;
        return more > 0 ? text + $" and {more.ToString(CultureInfo.InvariantCulture)} more {(more == 1 ? "cause" : "causes")}" : text;
    }
}
