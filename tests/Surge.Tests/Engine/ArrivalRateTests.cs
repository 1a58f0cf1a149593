using System.Globalization;
using System.Text.RegularExpressions;
using Surge.Data;
using Surge.Plans;
using Surge.Results;
using Surge.Tests.Support;

namespace Surge.Tests.Engine;

public sealed class ArrivalRateTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task An_arrival_rate_scenario_with_free_vus_drops_nothing_even_when_the_generator_stalls_at_the_start()
    {
        await using var server = await CountingServer.StartAsync();
        var before = await WarmUpAsync(server);
        var plan = TestPlans.OneScenario(new ConstantArrivalRateExecutor(1000, Second, TimeSpan.FromSeconds(2), 20, 100), server.Url("hello"));
        var run = FakeClockRun.Start(plan);
        var step = TimeSpan.FromMilliseconds(1);

        await run.AdvanceToAsync(TimeSpan.FromMilliseconds(500), step);
        // The generator stalls for 300 ms, as a cold start or a GC pause stalls it: 300 arrivals come due at once,
        // more than the 100 VUs, although the server answers at once and the VUs are idle.
        run.Time.Advance(TimeSpan.FromMilliseconds(300));
        var summary = await run.FinishAsync(TimeSpan.FromSeconds(30), step);

        var scenario = summary.Scenarios[0];
        Assert.True(scenario.DroppedIterations == 0, string.Join("; ", summary.Warnings));
        Assert.Equal(1000 * 2, scenario.CompletedIterations);
        Assert.Equal(1000 * 2, server.Requests - before);
        // The stall is not hidden: the arrival due just after 500 ms started at 800 ms at the earliest (to the
        // histogram's precision).
        Assert.True(summary.Find("iteration_start_delay")!.Total.Stat("max", TimeSpan.Zero) >= 298);
    }

    [Theory]
    [InlineData(WhenAllVusBusy.Drop)]
    [InlineData(WhenAllVusBusy.Queue)]
    public async Task An_arrival_rate_scenario_ends_when_its_data_runs_out_instead_of_idling_to_its_duration(WhenAllVusBusy whenAllBusy)
    {
        await using var server = await CountingServer.StartAsync();
        var scenario = TestPlans.OneScenario(
            new ConstantArrivalRateExecutor(50, Second, TimeSpan.FromMinutes(2), 2, 5) { WhenAllVusBusy = whenAllBusy }, server.Url("hello")).Scenarios[0];
        var plan = new TestPlan { Scenarios = [scenario with { Data = new DataSourcePlan("ids", Numbered(10)) }] };

        // A scenario that idled to its duration would still run after a fake minute.
        var summary = await FakeClockRun.RunAsync(plan, TimeSpan.FromMinutes(1));

        Assert.Equal(10, server.Requests);
        Assert.Equal(10, summary.Scenarios[0].CompletedIterations);
        Assert.Contains(summary.Warnings, w => w.Contains("ran out after 10 records", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_constant_vus_scenario_ends_when_its_data_runs_out_instead_of_idling_to_its_duration()
    {
        await using var server = await CountingServer.StartAsync();
        var scenario = TestPlans.OneScenario(new ConstantVusExecutor(3, TimeSpan.FromMinutes(2)), server.Url("hello")).Scenarios[0];
        var plan = new TestPlan { Scenarios = [scenario with { Data = new DataSourcePlan("ids", Numbered(30)) }] };

        var summary = await FakeClockRun.RunAsync(plan, TimeSpan.FromMinutes(1));

        Assert.Equal(30, server.Requests);
        Assert.Contains(summary.Warnings, w => w.Contains("ran out after 30 records", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dropped_arrivals_are_reported_with_their_share_when_they_happened_and_what_it_does_to_latency()
    {
        // 20 arrivals in 1 s on 2 VUs: the first iteration ends at once, the next two take 1.5 s each, so both VUs are
        // busy from 0.1 s to the end and the 17 arrivals due then find no VU.
        var iterations = 0;
        var plan = CodeOnly(new ConstantArrivalRateExecutor(20, Second, Second, 2, 2),
            ctx => Interlocked.Increment(ref iterations) == 1 ? Task.CompletedTask : ctx.Think(TimeSpan.FromSeconds(1.5)));

        var summary = await FakeClockRun.RunAsync(plan, TimeSpan.FromMinutes(1));

        var scenario = summary.Scenarios[0];
        Assert.Equal(17, scenario.DroppedIterations);
        Assert.Equal(3, scenario.CompletedIterations);
        var warning = Assert.Single(summary.Warnings, w => w.Contains("dropped", StringComparison.Ordinal));
        Assert.Matches(@"^scenario 'test': 17 of 20 arrivals \(85\.0 %\) were dropped because all 2 VUs \(maxVUs\) were busy, at 0:00( and |, |;)", warning);
        Assert.Contains("latency percentiles describe only the iterations that ran", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queued_arrivals_beyond_max_queued_are_dropped_and_every_arrival_is_accounted_for()
    {
        // One VU busy 3.2 s per iteration, 20 arrivals in 10 s (one each 0.5 s), at most 3 waiting. The VU serves
        // arrival 0 (0-3.2 s), then one waiting arrival each time it comes free: 0.5 s (3.2-6.4), 1 s (6.4-9.6); 1.5 s,
        // 3.5 s and 6.5 s found a place in the queue and are served after the last arrival, within gracefulStop. The
        // other 14 found 3 already waiting: 2, 2.5, 3; 4 to 6; 7 to 9.5 s.
        var plan = CodeOnly(
            new ConstantArrivalRateExecutor(2, Second, TimeSpan.FromSeconds(10), 1, 1) { WhenAllVusBusy = WhenAllVusBusy.Queue, MaxQueued = 3 },
            ctx => ctx.Think(TimeSpan.FromSeconds(3.2)));

        var summary = await FakeClockRun.RunAsync(plan, TimeSpan.FromMinutes(1), step: TimeSpan.FromMilliseconds(20));

        var scenario = summary.Scenarios[0];
        Assert.Equal(6, scenario.CompletedIterations);
        Assert.Equal(14, scenario.DroppedIterations);
        Assert.Equal(0, scenario.InterruptedIterations);
        Assert.Contains(summary.Warnings, w => w.Contains("3 arrivals already waited (maxQueued)", StringComparison.Ordinal));
    }

    /// <summary>
    /// One request outside the test, so that the server's own cold start (compiling Kestrel's code) is not what keeps
    /// the VUs busy. Returns the server's count after it.
    /// </summary>
    private static async Task<long> WarmUpAsync(CountingServer server)
    {
        using var client = new HttpClient();
        await client.GetStringAsync(new Uri(server.Url("hello")));
        return server.Requests;
    }

    private static TestPlan CodeOnly(ExecutorPlan executor, Func<VuContext, Task> body) => new()
    {
        Scenarios = [new ScenarioPlan { Name = "test", Executor = executor, Steps = [new CodeStep("body", body)] }],
    };

    private static DataTable Numbered(int rows) =>
        DataTable.FromRows("ids", ["n"], Enumerable.Range(0, rows).Select(r => new[] { r.ToString(CultureInfo.InvariantCulture) }));
}

public sealed class QueuedArrivalLatencyTests
{
    private const int Rate = 200;
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Period = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FreezeFrom = TimeSpan.FromSeconds(1.5);
    private static readonly TimeSpan Freeze = TimeSpan.FromSeconds(1);
    private const int Vus = 20;

    /// <summary>
    /// On fake time, the target freezes for 1 s every 5 s and answers at once otherwise: an iteration that starts in a
    /// freeze waits for its end, then sends its request. 200 arrivals per second meet 20 VUs, so the first 20 arrivals
    /// of a freeze hold every VU and the other 180 queue; at the freeze's end e they all start. A queued user arriving on
    /// schedule at t waits e - t before a VU takes it, and that wait must be what the run records: in
    /// iteration_start_delay exactly, and in http_req_latency on top of the request's own (real) duration.
    /// </summary>
    [Fact]
    public async Task Queued_arrivals_record_the_wait_users_arriving_on_schedule_have_for_a_vu()
    {
        await using var server = await CountingServer.StartAsync();
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var origin = time.GetUtcNow();
        var started = 0;
        var plan = new TestPlan
        {
            Scenarios =
            [
                new ScenarioPlan
                {
                    Name = "test",
                    Executor = new ConstantArrivalRateExecutor(Rate, TimeSpan.FromSeconds(1), Duration, Vus, Vus) { WhenAllVusBusy = WhenAllVusBusy.Queue },
                    Steps =
                    [
                        new CodeStep("frozen target", async ctx =>
                        {
                            Interlocked.Increment(ref started);
                            if (FreezeLeft(time.GetUtcNow() - origin) is { } left)
                            {
                                await ctx.Think(left);
                            }
                            await ctx.Http.GetAsync(server.Url("hello"), name: "hello");
                        }),
                    ],
                },
            ],
        };
        var run = FakeClockRun.Start(plan, time: time);

        // Each fake instant is held until every arrival due by then has started, or waits in the queue as the analysis
        // says: no fake time passes while the machine works, so every recorded wait is the schedule's own.
        var summary = await run.FinishAsync(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(5),
            settled: at => Volatile.Read(ref started) == ExpectedStarts(at));

        Assert.Equal(0, summary.Scenarios[0].DroppedIterations);
        Assert.Equal(Rate * Duration.TotalSeconds, summary.Scenarios[0].CompletedIterations);
        Assert.Equal(Rate * Duration.TotalSeconds, server.Requests);
        var waits = Enumerable.Range(0, Rate * (int)Duration.TotalSeconds).Select(n => AnalyticWait(n).TotalMilliseconds).Order().ToList();
        var delay = summary.Find("iteration_start_delay")!.Total;
        var latency = summary.Find("http_req_latency")!.Total;
        var slowestRequest = summary.Find("http_req_duration")!.Total.Stat("max", TimeSpan.Zero)!.Value;
        foreach (var p in new double[] { 50, 90, 95, 99, 99.9 })
        {
            var stat = string.Create(CultureInfo.InvariantCulture, $"p({p})");
            var expected = waits[(int)Math.Ceiling((p * waits.Count / 100) - 1e-9) - 1];
            // The histogram keeps three significant digits.
            var recorded = delay.Stat(stat, TimeSpan.Zero)!.Value;
            Assert.True(Math.Abs(recorded - expected) <= (expected * 0.002) + 0.001, $"{stat} of iteration_start_delay: {recorded} ms, {expected} ms on schedule");
            // Latency adds each request's real duration, no more than the slowest request's, to its wait.
            var withRequest = latency.Stat(stat, TimeSpan.Zero)!.Value;
            Assert.InRange(withRequest, (expected * 0.998) - 0.001, (expected * 1.002) + slowestRequest + 0.001);
        }
    }

    // Within a freeze, the time left of it; null outside one.
    private static TimeSpan? FreezeLeft(TimeSpan at)
    {
        if (at < FreezeFrom)
        {
            return null;
        }
        var into = TimeSpan.FromTicks((at - FreezeFrom).Ticks % Period.Ticks);
        return into < Freeze ? Freeze - into : null;
    }

    private static TimeSpan Due(int arrival) => TimeSpan.FromTicks(Duration.Ticks * arrival / (Rate * (int)Duration.TotalSeconds));

    // Arrival n waits for a VU when it comes in a freeze after the first 20 of it: until the freeze ends.
    private static TimeSpan AnalyticWait(int arrival)
    {
        var at = Due(arrival);
        if (FreezeLeft(at) is not { } left)
        {
            return TimeSpan.Zero;
        }
        var freezeStart = at + left - Freeze;
        return arrival - ArrivalsBefore(freezeStart) < Vus ? TimeSpan.Zero : left;
    }

    private static int ArrivalsBefore(TimeSpan at) => (int)Math.Min(Rate * Duration.TotalSeconds, Math.Ceiling(at.TotalSeconds * Rate - 1e-9));

    // Iterations started by fake time t: every arrival due by then, except those waiting in a freeze.
    private static int ExpectedStarts(TimeSpan at)
    {
        var due = ArrivalsBefore(at + TimeSpan.FromTicks(1));
        return FreezeLeft(at) is { } left ? Math.Min(due, ArrivalsBefore(at + left - Freeze) + Vus) : due;
    }
}
