using Surge.Http;
using Surge.Plans;
using Surge.Results;
using Surge.Tests.Support;
using Surge.Thresholds;

namespace Surge.Tests.Http;

/// <summary>
/// Requests still in flight when the run ends are recorded as `interrupted`, with the time they had taken, so that the
/// client counts every request the server received. The server holds each request for 8 s; every run ends sooner.
/// </summary>
public sealed class InterruptedRequestTests
{
    private const string Held = "delay/8000";

    private static double Count(RunSummary summary, string key) => summary.Aggregate(MetricKey.Parse(key))?.Sum ?? 0;

    private static void AssertEveryRequestCounted(RunSummary summary, CountingServer server, int inFlight)
    {
        Assert.Equal(inFlight, server.Requests);
        Assert.Equal(server.Requests, Count(summary, "http_reqs"));
        Assert.Equal(server.Requests, Count(summary, "http_reqs{error_code:interrupted}"));
        Assert.Equal(server.Requests, summary.Aggregate(MetricKey.Parse("http_req_failed"))!.Passes);
        Assert.Equal(inFlight, summary.Scenarios.Single().InterruptedIterations);
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2")]
    public async Task Requests_still_in_flight_when_graceful_stop_runs_out_are_recorded_as_interrupted_with_their_time(string version)
    {
        await using var server = await CountingServer.StartAsync(http2Only: version == "2");
        var plan = new TestPlan
        {
            Scenarios =
            [
                new ScenarioPlan
                {
                    Name = "held",
                    Executor = new ConstantVusExecutor(3, TimeSpan.FromSeconds(1)),
                    GracefulStop = TimeSpan.FromMilliseconds(500),
                    Steps = [new RequestStep { Method = "GET", Url = server.Url(Held), Name = "held", HttpVersion = version }],
                },
            ],
        };

        var run = FakeClockRun.Start(plan);
        await FakeClockRun.SettleAsync(() => server.Requests == 3, "the three requests reached the server");
        var held = System.Diagnostics.Stopwatch.GetTimestamp();

        // Sent at the start, interrupted at duration + gracefulStop (1.5 s of fake time), not before.
        await run.AdvanceToAsync(TimeSpan.FromMilliseconds(1450));
        Assert.False(run.Running.IsCompleted, "the requests were cut off before gracefulStop ran out");
        var heldFor = System.Diagnostics.Stopwatch.GetElapsedTime(held);
        var summary = await run.FinishAsync(TimeSpan.FromSeconds(10));

        AssertEveryRequestCounted(summary, server, inFlight: 3);
        // Each recorded the real time it took, which spans at least the real time the test kept the clock short of
        // the deadline (to the histogram's three significant digits).
        var shortest = summary.Aggregate(MetricKey.Parse("http_req_duration"))!.Stat("min", summary.Duration)!.Value;
        Assert.True(shortest >= heldFor.TotalMilliseconds * 0.99, $"shortest {shortest} ms, held {heldFor.TotalMilliseconds} ms");
        Assert.Empty(summary.Warnings);
    }

    [Fact]
    public async Task A_hard_stop_records_the_requests_it_cuts_off()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new ConstantVusExecutor(2, TimeSpan.FromMinutes(1)), server.Url(Held));
        using var stop = new CancellationTokenSource();
        using var hardStop = new CancellationTokenSource();
        var running = TestRun.RunAsync(plan, new RunSettings { HardStop = hardStop.Token }, stop.Token);
        while (server.Requests < 2)
        {
            await Task.Delay(10);
        }

        // A second Ctrl-C: stop, and do not wait for gracefulStop.
        await stop.CancelAsync();
        await hardStop.CancelAsync();
        var summary = await running.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(RunOutcome.Interrupted, summary.Outcome);
        AssertEveryRequestCounted(summary, server, inFlight: 2);
    }

    [Fact]
    public async Task A_csharp_steps_request_cut_off_by_the_end_is_recorded_and_ends_the_step_without_an_error()
    {
        await using var server = await CountingServer.StartAsync();
        var after = 0;

        var summary = await Load.Plan()
            .Scenario("code", s => s.ConstantVus(2, TimeSpan.FromSeconds(1)).GracefulStop(TimeSpan.FromMilliseconds(300)).Run(async ctx =>
            {
                await ctx.Http.GetAsync(server.Url(Held), name: "held");
                Interlocked.Increment(ref after);
            }))
            .Build()
            .RunAsync();

        AssertEveryRequestCounted(summary, server, inFlight: 2);
        Assert.Equal(0, after);
        Assert.Empty(summary.Warnings);
        Assert.Equal(2, Count(summary, "http_reqs{name:held,error_code:interrupted}"));
    }
}
