using System.Globalization;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Tests.Findings;

/// <summary>
/// A run with something wrong everywhere, with known answers: three endpoints (one healthy, one with 503s,
/// one with a timeout), a failed and two passing thresholds, dropped iterations, a knee at 10 s and a 503 spike.
/// </summary>
internal static class TroubledRun
{
    public const string Health = "/health";
    public const string Items = "/items";
    public const string Cart = "/cart `v2` | *beta*";

    public static RunSummary Build()
    {
        var run = new RunBuilder { Duration = TimeSpan.FromSeconds(20) };
        void Request(string method, string name, int status, double ms, bool failed, string? error = null)
        {
            (string, string)[] tags = error is null
                ? [("method", method), ("name", name), ("status", status.ToString(CultureInfo.InvariantCulture))]
                : [("method", method), ("name", name), ("status", "0"), ("error_code", error)];
            run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
            run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(ms);
            run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(failed);
        }
        for (var ms = 1; ms <= 10; ms++)
        {
            Request("GET", Items, ms <= 8 ? 200 : 503, ms, failed: ms > 8);
        }
        Request("POST", Cart, 201, 40, failed: false);
        Request("POST", Cart, 0, 5000, failed: true, error: "request_timeout");
        for (var i = 0; i < 5; i++)
        {
            Request("GET", Health, 200, 1, failed: false);
        }
        var summary = run.Build(
            [Runs.Browse, Runs.Orders],
            [("http_req_duration", "p(95)<6000", false), ("http_req_failed", "rate<0.5", false), ("http_req_duration{name:/items}", "p(99)<9", false)]);
        var timeline = Timelines.KneeAt10();
        for (var s = 12; s < 15; s++)
        {
            timeline[s] = timeline[s] with { FailedRequests = 300, Statuses = new Dictionary<int, long> { [200] = 700, [503] = 300 } };
        }
        return summary with { Timeline = timeline };
    }
}
