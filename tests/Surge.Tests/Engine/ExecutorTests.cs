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

        var summary = await FakeClockRun.RunAsync(plan, TimeSpan.FromMinutes(1));

        Assert.Equal(6, server.Requests);
        // On the fake clock a pause takes exactly its time, and the request none.
        var shortest = summary.Find("iteration_duration")!.Total.Stat("min", TimeSpan.Zero);
        Assert.True(shortest >= 200, $"shortest iteration {shortest} ms for a 200-250 ms pause");
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
    public async Task Constant_arrival_rate_starts_exactly_rate_times_duration_iterations()
    {
        await using var server = await CountingServer.StartAsync();
        const int rate = 200;
        var duration = TimeSpan.FromSeconds(5);
        var plan = TestPlans.OneScenario(new ConstantArrivalRateExecutor(rate, TimeSpan.FromSeconds(1), duration, 20, 100), server.Url("hello"));

        var summary = await FakeClockRun.RunAsync(plan, TimeSpan.FromMinutes(1), step: TimeSpan.FromMilliseconds(5));

        var started = summary.Scenarios[0].CompletedIterations + summary.Scenarios[0].InterruptedIterations;
        Assert.Equal(rate * 5, started);
        Assert.Equal(0, summary.Scenarios[0].DroppedIterations);
        Assert.Equal(server.Requests, Count(summary, "http_reqs"));
        Assert.Equal(summary.Find("http_req_duration")!.Total.Histogram!.TotalCount, summary.Find("http_req_latency")!.Total.Histogram!.TotalCount);
        Assert.Equal(started, summary.Find("iteration_start_delay")!.Total.Histogram!.TotalCount);
    }

    [Fact]
    public async Task Arrival_rate_counts_dropped_iterations_when_every_vu_is_busy()
    {
        await using var server = await CountingServer.StartAsync();
        // 2 VUs, each busy 1.5 s, asked to start 20 iterations per second for 1 s: the first two start, the other 18
        // find both VUs busy until after the last arrival.
        var plan = TestPlans.OneScenario(new ConstantArrivalRateExecutor(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 2, 2), server.Url("hello"));
        plan = plan with
        {
            Scenarios = [plan.Scenarios[0] with { Steps = [.. plan.Scenarios[0].Steps, new ThinkStep(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1.5))] }],
        };

        var summary = await FakeClockRun.RunAsync(plan, TimeSpan.FromMinutes(1));

        var scenario = summary.Scenarios[0];
        Assert.Equal(2, scenario.CompletedIterations);
        Assert.Equal(18, scenario.DroppedIterations);
        Assert.Equal(scenario.DroppedIterations, Count(summary, "dropped_iterations"));
        Assert.Equal(server.Requests, Count(summary, "http_reqs"));
    }

    [Fact]
    public async Task Graceful_stop_interrupts_iterations_that_outlive_it_at_its_deadline()
    {
        await using var server = await CountingServer.StartAsync();
        // Three VUs think for 5 s in a 200 ms scenario with a 100 ms gracefulStop: interrupted at 300 ms.
        var plan = TestPlans.OneScenario(new ConstantVusExecutor(3, TimeSpan.FromMilliseconds(200)), server.Url("hello"), TimeSpan.FromMilliseconds(100));
        plan = plan with
        {
            Scenarios = [plan.Scenarios[0] with { Steps = [.. plan.Scenarios[0].Steps, new ThinkStep(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5))] }],
        };
        var run = FakeClockRun.Start(plan);
        await FakeClockRun.SettleAsync(() => server.Requests == 3, "the three VUs started");

        await run.AdvanceToAsync(TimeSpan.FromMilliseconds(280));
        Assert.False(run.Running.IsCompleted, "the run ended before gracefulStop's deadline");
        var summary = await run.FinishAsync(TimeSpan.FromSeconds(4));

        Assert.Equal(3, summary.Scenarios[0].InterruptedIterations);
        Assert.Equal(0, Count(summary, "iterations"));
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task A_scenario_waits_for_its_start_time_on_the_runs_clock_and_then_keeps_its_own_schedule()
    {
        var early = 0;
        var late = 0;
        ScenarioPlan Counting(string name, TimeSpan duration, TimeSpan startTime, Action count) => new()
        {
            Name = name,
            Executor = new ConstantArrivalRateExecutor(10, TimeSpan.FromSeconds(1), duration, 2, 2),
            StartTime = startTime,
            Steps = [new CodeStep("count", _ => { count(); return Task.CompletedTask; })],
        };
        var plan = new TestPlan
        {
            Scenarios =
            [
                Counting("early", TimeSpan.FromSeconds(2), TimeSpan.Zero, () => Interlocked.Increment(ref early)),
                Counting("late", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), () => Interlocked.Increment(ref late)),
            ],
        };
        var run = FakeClockRun.Start(plan);

        await run.AdvanceToAsync(TimeSpan.FromSeconds(2.95));
        Assert.Equal(20, Volatile.Read(ref early));
        Assert.Equal(0, Volatile.Read(ref late));
        var summary = await run.FinishAsync(TimeSpan.FromMinutes(1));

        Assert.Equal([20, 10], summary.Scenarios.Select(s => s.CompletedIterations));
    }

    [Fact]
    public async Task Ramping_vus_follows_its_stages()
    {
        await using var server = await CountingServer.StartAsync();
        Stage[] stages = [new(TimeSpan.FromSeconds(2), 4), new(TimeSpan.FromSeconds(2), 4), new(TimeSpan.FromSeconds(2), 0)];
        var plan = TestPlans.OneScenario(new RampingVusExecutor(0, stages, TimeSpan.Zero), server.Url("hello"));
        plan = plan with
        {
            Scenarios = [plan.Scenarios[0] with { Steps = [.. plan.Scenarios[0].Steps, new ThinkStep(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(20))] }],
        };
        var sink = new VuSampler();
        var ramp = new Surge.Engine.Executors.VuRamp(0, stages);

        await FakeClockRun.RunAsync(plan, TimeSpan.FromMinutes(1), new RunSettings { Sinks = [sink], SnapshotInterval = TimeSpan.FromMilliseconds(100) });

        // Check the VU gauge against the analytic ramp away from the moments where the target changes (sampled at
        // fake instants, so within a step or two of them).
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
