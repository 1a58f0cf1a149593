using System.Net;
using System.Net.Sockets;
using Surge.Metrics;
using Surge.Plans;
using Surge.Results;
using Surge.Tests.Support;
using Surge.Thresholds;

namespace Surge.Tests.Http;

public sealed class RequestOutcomeTests
{
    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_refused_connection_is_counted_under_its_error_code_and_the_run_goes_on()
    {
        var url = $"http://127.0.0.1:{FreeLoopbackPort()}/nothing-listens-here";
        var plan = TestPlans.OneScenario(new SharedIterationsExecutor(2, 10, TimeSpan.FromSeconds(30)), url);

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(10, summary.Find("http_reqs")!.Total.Sum);
        Assert.Equal(10, summary.Aggregate(MetricKey.Parse("http_reqs{error_code:connection_refused}"))!.Sum);
        Assert.Equal(1.0, summary.Find("http_req_failed")!.Total.Stat("rate", summary.Duration));
        Assert.Equal(10, summary.Scenarios[0].CompletedIterations);
    }

    [Fact]
    public async Task Statuses_outside_the_expected_ranges_count_as_failed_requests()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = new TestPlan
        {
            Scenarios =
            [
                new ScenarioPlan
                {
                    Name = "mixed",
                    Executor = new PerVuIterationsExecutor(1, 4, TimeSpan.FromSeconds(30)),
                    Steps =
                    [
                        new RequestStep { Method = "GET", Url = server.Url("status/500"), Name = "error" },
                        new RequestStep { Method = "GET", Url = server.Url("status/404"), Name = "missing", ExpectedStatuses = new([(404, 404)]) },
                        new RequestStep { Method = "GET", Url = server.Url("hello"), Name = "ok" },
                    ],
                },
            ],
        };

        var summary = await TestRun.RunAsync(plan);

        var failed = summary.Find("http_req_failed")!.Total;
        Assert.Equal(12, failed.Samples);
        Assert.Equal(4, failed.Passes);
        Assert.Equal(4, summary.Aggregate(MetricKey.Parse("http_reqs{status:500}"))!.Sum);
        Assert.Equal(4, summary.Aggregate(MetricKey.Parse("http_reqs{expected_response:false}"))!.Sum);
        Assert.Equal(12, server.Requests);
    }

    [Fact]
    public async Task A_failing_threshold_with_abort_on_fail_stops_the_run_early()
    {
        await using var server = await CountingServer.StartAsync();
        var planned = TimeSpan.FromSeconds(30);
        var plan = TestPlans.OneScenario(
            new ConstantVusExecutor(2, planned), server.Url("status/503"), TimeSpan.FromSeconds(1),
            TestPlans.Threshold("http_req_failed", "rate<0.5", abortOnFail: true));

        // On fake time: the run must end well before its planned 30 s, however slowly this machine runs it.
        var summary = await FakeClockRun.RunAsync(plan, TimeSpan.FromSeconds(20), new RunSettings { SnapshotInterval = TimeSpan.FromMilliseconds(200) });

        Assert.Equal(RunOutcome.AbortedByThreshold, summary.Outcome);
        Assert.True(summary.Duration < planned, $"ran the full {summary.Duration} instead of stopping at the failure");
        Assert.False(summary.ThresholdsPassed);
    }

    [Fact]
    public async Task Tag_filtered_thresholds_judge_only_the_matching_series()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(
            new SharedIterationsExecutor(1, 5, TimeSpan.FromSeconds(30)), server.Url("hello"), null,
            TestPlans.Threshold("http_reqs{name:hit}", "count==5"),
            TestPlans.Threshold("http_reqs{name:other}", "count==0"),
            TestPlans.Threshold("http_reqs{name:hit}", "count>5"));

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal([true, true, false], summary.Thresholds.Select(t => t.Passed));
        Assert.Equal(5, summary.Thresholds[0].Observed);
    }

    [Fact]
    public async Task Graceful_stop_request_still_returns_a_summary_of_what_was_measured()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new ConstantVusExecutor(2, TimeSpan.FromMinutes(5)), server.Url("hello"), TimeSpan.FromSeconds(5));
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));

        var summary = await TestRun.RunAsync(plan, stop: stop.Token);

        Assert.Equal(RunOutcome.Interrupted, summary.Outcome);
        Assert.Equal(server.Requests, summary.Find("http_reqs")!.Total.Sum);
        Assert.True(server.Requests > 0);
    }
}
