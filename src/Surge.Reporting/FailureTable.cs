using System.Globalization;
using Surge.Metrics;
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

internal static class FailureTable
{
    /// <summary>Failed requests (as http_req_failed counts them) by cause, most frequent first, ties by label.</summary>
    public static IReadOnlyList<FailureCause> From(RunSummary summary) => From(summary.Find(BuiltinMetrics.HttpReqFailed.Name)?.Series ?? []);

    /// <summary>The same over any set of http_req_failed series, e.g. one endpoint's.</summary>
    public static IReadOnlyList<FailureCause> From(IEnumerable<MetricSeries> failedSeries)
    {
        var counts = new Dictionary<(string? ErrorCode, int Status), long>();
        foreach (var series in failedSeries)
        {
            if (series.Values.Passes == 0)
            {
                continue;
            }
            var status = int.TryParse(series.Tags["status"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
            var key = (series.Tags["error_code"], status);
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

    /// <summary>The first few causes as one phrase, "connection_refused ×200, status 503 ×12 and 2 more causes".</summary>
    public static string Describe(IReadOnlyList<FailureCause> causes, int shown = 3)
    {
        var text = string.Join(", ", causes.Take(shown));
        var more = causes.Count - shown;
        return more > 0 ? text + $" and {more.ToString(CultureInfo.InvariantCulture)} more {(more == 1 ? "cause" : "causes")}" : text;
    }
}
