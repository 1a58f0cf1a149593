using Surge.Plans;
using Surge.Results;
using Surge.Tests.Support;

namespace Surge.Outputs.Tests;

/// <summary>Short, bounded runs against the canned-response server, tagged with a fresh testid.</summary>
internal static class Runs
{
    /// <summary>200 requests a second for 3 s: about 600 requests over three intervals and several pushes.</summary>
    public static TestPlan ThreeSeconds(CannedResponseServer server, string testid) =>
        TestPlans.OneScenario(
            new ConstantArrivalRateExecutor(200, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), PreAllocatedVus: 4, MaxVus: 20),
            server.Url("hit"), null, TestPlans.Threshold("http_req_failed", "rate<0.01"))
        with { Tags = new Dictionary<string, string> { ["testid"] = testid } };

    /// <summary>Exactly 300 iterations of one request each, as fast as 4 VUs go.</summary>
    public static TestPlan FixedIterations(CannedResponseServer server) =>
        TestPlans.OneScenario(new SharedIterationsExecutor(4, 300, TimeSpan.FromSeconds(30)), server.Url("hit"), null,
            TestPlans.Threshold("http_req_failed", "rate<0.01"));

    public static string NewTestId() => "surge-" + Guid.NewGuid().ToString("N")[..12];

    public static long Count(RunSummary summary, string metric) => (long)summary.Find(metric)!.Total.Sum;

    public static double P95Seconds(RunSummary summary) => summary.Find("http_req_duration")!.Total.Stat("p(95)", summary.Duration)!.Value / 1000;
}
