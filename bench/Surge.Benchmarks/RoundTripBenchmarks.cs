using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using Surge.Engine;
using Surge.Engine.Steps;
using Surge.Http;
using Surge.Http.Http1;
using Surge.Metrics;
using Surge.Plans;
using Surge.Tests.Support;

namespace Surge.Benchmarks;

/// <summary>
/// Whole requests over loopback against <see cref="CannedResponseServer"/>, on one kept-alive connection: the
/// transport alone, one request step (send, parse, record its samples) and one whole scenario iteration. Each
/// invocation runs <see cref="RequestsPerLoop"/> of them back to back on the thread pool, as a VU's loop does
/// (ScenarioRuntime.LoopAsync), so each request starts on the thread where the previous one completed.
/// </summary>
public class RoundTripBenchmarks : IDisposable
{
    private const int RequestsPerLoop = 1_000;

    private CannedResponseServer _server = null!;
    private Http1Client _client = null!;
    private PerVuConnections _connections = null!;
    private HttpRequest _request = null!;
    private MetricsRecorder _recorder = null!;
    private EngineContext _engine = null!;
    private ScenarioRuntime _scenario = null!;
    private VirtualUser _vu = null!;
    private IStepRunner _step = null!;
    private Func<ValueTask<HttpTimings>> _send = null!;
    private Func<ValueTask> _runStep = null!;
    private Func<ValueTask<bool>> _runIteration = null!;

    [GlobalSetup]
    public void Setup()
    {
        _server = new CannedResponseServer();
        var url = _server.Url("hello");
        _connections = new PerVuConnections();
        _request = new HttpRequest("GET", new Uri(url), [], null, TimeSpan.FromSeconds(10));

        _recorder = new MetricsRecorder(new MetricRegistry());
        _engine = new EngineContext(_recorder, TagSet.Empty, CancellationToken.None);
        _client = new Http1Client(_connections, HttpOptions.Default, _engine.Watchdog);
        var plan = new ScenarioPlan
        {
            Name = "bench",
            Executor = new ConstantVusExecutor(1, TimeSpan.FromMinutes(1)),
            Steps = [new RequestStep { Method = "GET", Url = url, Name = "hello" }],
        };
        _scenario = new ScenarioRuntime(plan, _engine, StepCompiler.Compile);
        _vu = _scenario.CreateVu();
        _step = new RequestRunner((RequestStep)plan.Steps[0], new StepContext(_scenario, _scenario.Tags, new Dictionary<string, string>()));
        _send = () => _client.SendAsync(_request, null, CancellationToken.None);
        _runStep = () => _step.RunAsync(_vu, CancellationToken.None);
        _runIteration = () => _scenario.RunIterationAsync(_vu);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _scenario.Dispose();
        _engine.Dispose();
        _recorder.Dispose();
        _client.Dispose();
        _connections.Dispose();
        _server.Dispose();
        GC.SuppressFinalize(this); // BenchmarkDotNet needs unsealed benchmark classes
    }

    [Benchmark(OperationsPerInvoke = RequestsPerLoop)]
    public ValueTask Http1ClientSend() => LoopAsync(_send);

    [Benchmark(OperationsPerInvoke = RequestsPerLoop)]
    public ValueTask RequestRunnerStep() => LoopAsync(_runStep);

    [Benchmark(OperationsPerInvoke = RequestsPerLoop)]
    public ValueTask ScenarioIteration() => LoopAsync(_runIteration);

    /// <summary>
    /// One request started by the harness's own thread, which then blocks until it completes on a pool thread: a
    /// pooled state machine may then return to the pool thread's cache and leave the harness thread's empty.
    /// </summary>
    [Benchmark]
    public ValueTask Http1ClientSendFromBlockedThread() => AwaitAsync(_send());

    // The engine's timings type is internal, so the public benchmark awaits it through a pooled builder of its own.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask AwaitAsync(ValueTask<HttpTimings> send) => await send.ConfigureAwait(false);

    // Like ScenarioRuntime.LoopAsync: hop onto the pool first, then requests back to back.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask LoopAsync<T>(Func<ValueTask<T>> request)
    {
        await Task.Yield();
        for (var i = 0; i < RequestsPerLoop; i++)
        {
            await request().ConfigureAwait(false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask LoopAsync(Func<ValueTask> request)
    {
        await Task.Yield();
        for (var i = 0; i < RequestsPerLoop; i++)
        {
            await request().ConfigureAwait(false);
        }
    }
}
