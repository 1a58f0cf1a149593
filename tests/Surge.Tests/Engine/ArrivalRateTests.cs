using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
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

/// <summary>Timing-sensitive, so it runs alone, after the parallel tests (as the allocation measurements do).</summary>
[Collection(nameof(Surge.Tests.Http.AllocationMeasurements))]
public sealed class QueuedArrivalLatencyTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The server freezes for 1 s every 5 s and answers at once otherwise; 200 arrivals per second meet 20 VUs, so
    /// during a freeze 20 requests hang and the other arrivals queue. A user arriving on schedule at t inside a freeze
    /// that ends at e waits e - t; everyone else waits nothing. The queue must give the same distribution: the wait
    /// for a VU is part of the latency, as it is for the user.
    /// </summary>
    [Fact]
    public async Task Queued_arrivals_see_the_latency_a_freezing_server_gives_users_arriving_on_schedule()
    {
        const int rate = 200;
        var duration = TimeSpan.FromSeconds(10);
        var period = TimeSpan.FromSeconds(5);
        var freezeFrom = TimeSpan.FromSeconds(1.5);
        var freeze = TimeSpan.FromSeconds(1);
        await using var server = await FreezingServer.StartAsync(period, freezeFrom, freeze);
        var plan = TestPlans.OneScenario(
            new ConstantArrivalRateExecutor(rate, Second, duration, 20, 20) { WhenAllVusBusy = WhenAllVusBusy.Queue }, server.Url);

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(0, summary.Scenarios[0].DroppedIterations);
        Assert.Equal(rate * duration.TotalSeconds, summary.Scenarios[0].CompletedIterations);
        // The server's clock starts with the first request, which arrival 0 sends at the scenario's start: arrival n
        // reaches it at n / rate, give or take the same few milliseconds for every arrival.
        var onSchedule = Enumerable.Range(0, rate * (int)duration.TotalSeconds)
            .Select(n => TimeSpan.FromSeconds((double)n / rate))
            .Select(at => (at - freezeFrom).Ticks % period.Ticks is var into && at >= freezeFrom && into < freeze.Ticks
                ? (freeze - TimeSpan.FromTicks(into)).TotalMilliseconds
                : 0)
            .Order()
            .ToList();
        var latency = summary.Find("http_req_latency")!.Total;
        double[] percentiles = [50, 90, 99];
        var compared = percentiles.Select(p => (
            P: p,
            Expected: onSchedule[(int)Math.Ceiling(p / 100 * onSchedule.Count) - 1],
            Measured: latency.Stat(string.Create(CultureInfo.InvariantCulture, $"p({p})"), TimeSpan.Zero)!.Value)).ToList();
        // Within 5%, plus what this machine adds: an answer "at once" takes a round trip, not 0, and the ~180 arrivals
        // queued behind 20 VUs during a freeze need up to 9 more round trips once it ends, in a burst. The round trip
        // is measured in the run: p(95) of the service time is among the requests of those bursts (only the 2% sent
        // at the start of a freeze are held). On a quiet machine it is a fraction of a millisecond.
        var roundTrip = summary.Find("http_req_duration")!.Total.Stat("p(95)", TimeSpan.Zero)!.Value;
        var allowance = 10 + (10 * roundTrip);
        var report = string.Join(", ", compared.Select(c => $"p({c.P}) {c.Measured:F1} ms measured, {c.Expected:F1} ms on schedule"))
            + $"; round trip {roundTrip:F2} ms";
        Assert.All(compared, c => Assert.True(Math.Abs(c.Measured - c.Expected) <= (c.Expected * 0.05) + allowance, report));
    }

    /// <summary>
    /// Holds every request to / that arrives within a freeze until the freeze ends; its clock starts with the first
    /// such request. Warmed up before it is handed out.
    /// </summary>
    private sealed class FreezingServer : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private FreezingServer(WebApplication app, string url)
        {
            _app = app;
            Url = url;
        }

        public string Url { get; }

        public static async Task<FreezingServer> StartAsync(TimeSpan period, TimeSpan freezeFrom, TimeSpan freeze)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            long epoch = 0;
            app.MapGet("/", async () =>
            {
                var now = System.Diagnostics.Stopwatch.GetTimestamp();
                Interlocked.CompareExchange(ref epoch, now, 0);
                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref epoch), now);
                if (elapsed >= freezeFrom && (elapsed - freezeFrom).Ticks % period.Ticks is var into && into < freeze.Ticks)
                {
                    await Task.Delay(freeze - TimeSpan.FromTicks(into));
                }
                return "ok\n";
            });
            app.MapGet("/warm", () => "ok\n");
            await app.StartAsync();
            var root = app.Urls.First().TrimEnd('/') + "/";
            // Kestrel's first request compiles its code for hundreds of milliseconds: not the freeze under test.
            using (var client = new HttpClient())
            {
                await client.GetStringAsync(new Uri(root + "warm"));
            }
            return new FreezingServer(app, root);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
