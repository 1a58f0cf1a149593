using Surge.Engine;
using Surge.Http;
using Surge.Engine.Steps;
using Surge.Metrics;
using Surge.Plans;
using Surge.Tests.Support;

namespace Surge.Tests.Http;

/// <summary>Allocation counts are process-wide, so these tests run alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(AllocationMeasurements), DisableParallelization = true)]
public sealed class AllocationMeasurements;

[Collection(nameof(AllocationMeasurements))]
public sealed class HotPathAllocationTests
{
    private const int WarmUp = 2_000;
    private const int Rounds = 10;
    private const int RequestsPerRound = 500;

    /// <summary>
    /// A request step as a VU runs it: send over a kept-alive loopback connection, parse the response, record its
    /// twelve samples. Continuations resume on whichever pool thread completed the socket read, so the count is
    /// GC.GetTotalAllocatedBytes(precise) over the whole process rather than one thread's. That also counts
    /// allocations unrelated to the request (the test host, a histogram chunk that a rare latency touches for the
    /// first time on one thread's shard); they only add bytes, so the quietest round is the measurement. A single
    /// allocation per request would put at least 500 × 24 bytes into every round.
    /// </summary>
    [Fact]
    public async Task A_request_round_trip_allocates_nothing_in_steady_state()
    {
        var allocatedPerRound = await MeasureAsync(HttpOptions.Default, null, _ => { });

        Assert.True(allocatedPerRound.Min() == 0,
            $"every round of {RequestsPerRound} requests allocated: {string.Join(", ", allocatedPerRound)} bytes");
    }

    /// <summary>The jar's cookies are written into a buffer the VU reuses, next to the prepared request.</summary>
    [Fact]
    public async Task A_request_that_carries_a_cookie_from_the_jar_allocates_nothing_in_steady_state()
    {
        var allocatedPerRound = await MeasureAsync(HttpOptions.Default with { NoCookiesReset = true }, null,
            vu => vu.Session.Cookies!.Set(new Uri("http://127.0.0.1/"), "session", "0123456789abcdef0123456789abcdef"));

        Assert.True(allocatedPerRound.Min() == 0,
            $"every round of {RequestsPerRound} requests allocated: {string.Join(", ", allocatedPerRound)} bytes");
    }

    /// <summary>
    /// A server that sets its session cookie on every response (many do). A cookie set again is updated in place, so
    /// with the jar kept across iterations (noCookiesReset) that costs nothing; with k6's default of an empty jar at
    /// each iteration, each one-request iteration makes the cookie anew: its record and strings, about 350 bytes here.
    /// </summary>
    [Theory]
    [InlineData(true, 0)]
    [InlineData(false, 512)]
    public async Task A_response_that_sets_a_cookie_every_time_allocates_at_most_that_cookie(bool noCookiesReset, int maxBytesPerRequest)
    {
        var response = "HTTP/1.1 200 OK\r\nSet-Cookie: session=0123456789abcdef; Path=/; HttpOnly\r\nContent-Length: 12\r\n\r\nhello world\n"u8.ToArray();
        var allocatedPerRound = await MeasureAsync(HttpOptions.Default with { NoCookiesReset = noCookiesReset }, response, _ => { });

        Assert.InRange(allocatedPerRound.Min() / RequestsPerRound, 0, maxBytesPerRequest);
    }

    private static async Task<long[]> MeasureAsync(HttpOptions options, byte[]? response, Action<VirtualUser> prepare)
    {
        using var server = new CannedResponseServer(response);
        var registry = new MetricRegistry();
        using var recorder = new MetricsRecorder(registry);
        using var engine = new EngineContext(recorder, TagSet.Empty, CancellationToken.None, options);
        var plan = new ScenarioPlan
        {
            Name = "allocations",
            Executor = new ConstantVusExecutor(1, TimeSpan.FromMinutes(1)),
            Steps = [new RequestStep { Method = "GET", Url = server.Url("hello"), Name = "hello" }],
        };
        using var scenario = new ScenarioRuntime(plan, engine, StepCompiler.Compile);
        var vu = scenario.CreateVu();
        prepare(vu);

        // Started on the pool, as a VU's loop is, so each request starts where the previous one completed.
        var allocatedPerRound = await Task.Run(() => AllocatedPerRoundAsync(scenario, vu));

        const int total = WarmUp + (Rounds * RequestsPerRound);
        Assert.Equal(total, server.Requests);
        var snapshot = recorder.Collect(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        Assert.Equal(total, snapshot.Aggregate(BuiltinMetrics.HttpReqs, TagSet.From([new("status", "200")])).Sum);
        Assert.Equal(total, snapshot.Aggregate(BuiltinMetrics.HttpReqDuration, TagSet.Empty).Histogram!.TotalCount);
        return allocatedPerRound;
    }

    private static async Task<long[]> AllocatedPerRoundAsync(ScenarioRuntime scenario, VirtualUser vu)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            await scenario.RunIterationAsync(vu).ConfigureAwait(false);
        }
        var allocated = new long[Rounds];
        for (var round = 0; round < Rounds; round++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < RequestsPerRound; i++)
            {
                await scenario.RunIterationAsync(vu).ConfigureAwait(false);
            }
            allocated[round] = GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        return allocated;
    }
}
