using Surge.Metrics;
using Surge.Plans;
using Surge.Results;
using Surge.Tests.Support;

namespace Surge.Tests.Engine;

public sealed class ExecutorTests
{
    private static double Count(RunSummary summary, string metric) => summary.Find(metric)!.Total.Sum;

    [Fact]
    public async Task Shared_iterations_runs_exactly_the_requested_number_of_iterations()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new SharedIterationsExecutor(10, 500, TimeSpan.FromMinutes(1)), server.Url("hello"));

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(500, server.Requests);
        Assert.Equal(500, Count(summary, "http_reqs"));
        Assert.Equal(500, Count(summary, "iterations"));
        Assert.Equal(500, summary.Scenarios[0].CompletedIterations);
    }

    [Fact]
    public async Task Per_vu_iterations_runs_vus_times_iterations()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new PerVuIterationsExecutor(7, 13, TimeSpan.FromMinutes(1)), server.Url("hello"));

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(7 * 13, server.Requests);
        Assert.Equal(7 * 13, Count(summary, "iterations"));
    }

    [Fact]
    public async Task A_think_step_lengthens_every_iteration_by_at_least_its_pause()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new PerVuIterationsExecutor(3, 2, TimeSpan.FromMinutes(1)), server.Url("hello"));
        plan = plan with
        {
            Scenarios = [plan.Scenarios[0] with { Steps = [.. plan.Scenarios[0].Steps, new ThinkStep(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(250))] }],
        };

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(6, server.Requests);
        // Timers run on a coarser clock than the Stopwatch, so a pause may end a few milliseconds early.
        var shortest = summary.Find("iteration_duration")!.Total.Stat("min", TimeSpan.Zero);
        Assert.True(shortest >= 190, $"shortest iteration {shortest} ms for a 200-250 ms pause");
    }

    [Fact]
    public async Task Constant_vus_sends_exactly_as_many_requests_as_the_server_counts()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new ConstantVusExecutor(4, TimeSpan.FromSeconds(1.5)), server.Url("hello"));

        var summary = await TestRun.RunAsync(plan);

        Assert.True(server.Requests > 0);
        Assert.Equal(server.Requests, Count(summary, "http_reqs"));
        Assert.Equal(4, summary.Find("vus_max")!.Total.Last);
        Assert.Equal(0, summary.Scenarios[0].InterruptedIterations);
    }

    [Fact]
    public async Task Constant_arrival_rate_reaches_the_target_rate_within_two_percent()
    {
        await using var server = await CountingServer.StartAsync();
        const double rate = 200;
        var duration = TimeSpan.FromSeconds(5);
        var plan = TestPlans.OneScenario(new ConstantArrivalRateExecutor(rate, TimeSpan.FromSeconds(1), duration, 20, 100), server.Url("hello"));

        var summary = await TestRun.RunAsync(plan);

        Assert.Empty(summary.Warnings);
        var started = summary.Scenarios[0].CompletedIterations + summary.Scenarios[0].InterruptedIterations;
        var achieved = started / duration.TotalSeconds;
        Assert.InRange(achieved, rate * 0.98, rate * 1.02);
        Assert.Equal(0, summary.Scenarios[0].DroppedIterations);
        Assert.Equal(server.Requests, Count(summary, "http_reqs"));
        Assert.Equal(summary.Find("http_req_duration")!.Total.Histogram!.TotalCount, summary.Find("http_req_latency")!.Total.Histogram!.TotalCount);
        Assert.Equal(started, summary.Find("iteration_start_delay")!.Total.Histogram!.TotalCount);
    }

    [Fact]
    public async Task Arrival_rate_counts_dropped_iterations_when_every_vu_is_busy()
    {
        await using var server = await CountingServer.StartAsync();
        // 2 VUs, each busy 400 ms, asked to start 20 iterations per second for 1 s: at most ~6 can start.
        var plan = TestPlans.OneScenario(new ConstantArrivalRateExecutor(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 2, 2), server.Url("delay/400"));

        var summary = await TestRun.RunAsync(plan);

        var scenario = summary.Scenarios[0];
        Assert.Equal(20, scenario.CompletedIterations + scenario.InterruptedIterations + scenario.DroppedIterations);
        Assert.True(scenario.DroppedIterations >= 10, $"dropped {scenario.DroppedIterations}");
        Assert.Equal(scenario.DroppedIterations, Count(summary, "dropped_iterations"));
        Assert.Equal(server.Requests, Count(summary, "http_reqs"));
    }

    [Fact]
    public async Task Graceful_stop_interrupts_iterations_that_outlive_it()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new ConstantVusExecutor(3, TimeSpan.FromMilliseconds(200)), server.Url("delay/5000"), TimeSpan.FromMilliseconds(100));

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(3, summary.Scenarios[0].InterruptedIterations);
        Assert.Equal(0, Count(summary, "iterations"));
    }

    [Fact]
    public async Task Ramping_vus_follows_its_stages()
    {
        await using var server = await CountingServer.StartAsync();
        Stage[] stages = [new(TimeSpan.FromSeconds(2), 4), new(TimeSpan.FromSeconds(2), 4), new(TimeSpan.FromSeconds(2), 0)];
        var plan = TestPlans.OneScenario(new RampingVusExecutor(0, stages, TimeSpan.Zero), server.Url("delay/20"));
        var sink = new VuSampler();
        var ramp = new Surge.Engine.Executors.VuRamp(0, stages);

        await TestRun.RunAsync(plan, new RunSettings { Sinks = [sink], SnapshotInterval = TimeSpan.FromMilliseconds(100) });

        // Check the VU gauge against the analytic ramp away from the moments where the target changes.
        var checkedPoints = 0;
        foreach (var (elapsed, vus) in sink.Samples)
        {
            var expected = ramp.TargetAt(elapsed);
            var stable = ramp.TargetAt(elapsed - TimeSpan.FromMilliseconds(150)) == expected
                && ramp.TargetAt(elapsed + TimeSpan.FromMilliseconds(150)) == expected;
            if (stable && elapsed < ramp.TotalDuration)
            {
                Assert.Equal(expected, vus);
                checkedPoints++;
            }
        }
        Assert.True(checkedPoints >= 10, $"only {checkedPoints} stable points sampled");
        Assert.Contains(sink.Samples, s => s.Vus == 4);
    }

    private sealed class VuSampler : ILiveSink
    {
        public List<(TimeSpan Elapsed, int Vus)> Samples { get; } = [];

        public void OnSnapshot(LiveSnapshot snapshot) =>
            Samples.Add((snapshot.Scenarios[0].Elapsed, snapshot.Scenarios[0].ActiveVus));

        public void OnCompleted(RunSummary summary)
        {
        }
    }
}
