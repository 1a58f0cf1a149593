using Surge.Http;

namespace Surge.Engine;

/// <summary>
/// One simulated user: its own connection (created on first use, so idle VUs stay small), and a cancellation
/// source that interrupts just this VU's iteration (graceful ramp-down) or, being linked, the whole scenario's.
/// </summary>
public sealed class VirtualUser : IThreadPoolWorkItem, IDisposable
{
    private readonly ScenarioRuntime _scenario;
    private CancellationTokenSource _iteration;
    private HttpRequester? _http;

    internal VirtualUser(int id, ScenarioRuntime scenario)
    {
        Id = id;
        _scenario = scenario;
        _iteration = CancellationTokenSource.CreateLinkedTokenSource(scenario.HardStopToken);
    }

    /// <summary>1-based across the whole run, like k6's __VU.</summary>
    public int Id { get; }

    public ScenarioRuntime Scenario => _scenario;

    public HttpRequester Http => _http ??= new HttpRequester();

    /// <summary>How late the current iteration started against its schedule, in ticks; 0 in closed models.</summary>
    public long StartDelayTicks { get; internal set; }

    public bool HasIntendedStart { get; internal set; }

    internal CancellationToken IterationToken => _iteration.Token;

    /// <summary>The intended start of the arrival-rate iteration this VU was handed, for <see cref="Execute"/>.</summary>
    internal long PendingIntendedStart { get; set; }

    internal Action<VirtualUser>? ReturnToPool { get; set; }

    /// <summary>Stops this VU's current iteration now.</summary>
    internal void Interrupt() => _iteration.Cancel();

    /// <summary>After an interrupted iteration, a fresh source for the next one (unless the scenario itself stopped).</summary>
    internal void RearmAfterInterrupt()
    {
        if (_iteration.IsCancellationRequested && !_scenario.HardStopToken.IsCancellationRequested)
        {
            _iteration.Dispose();
            _iteration = CancellationTokenSource.CreateLinkedTokenSource(_scenario.HardStopToken);
        }
    }

    /// <summary>Runs one scheduled iteration on the thread pool (arrival-rate executors), then returns to the pool.</summary>
    void IThreadPoolWorkItem.Execute() => _ = RunScheduledAsync();

    private async Task RunScheduledAsync()
    {
        await _scenario.RunIterationAsync(this, PendingIntendedStart).ConfigureAwait(false);
        ReturnToPool?.Invoke(this);
    }

    public void Dispose()
    {
        _iteration.Dispose();
        _http?.Dispose();
    }
}
