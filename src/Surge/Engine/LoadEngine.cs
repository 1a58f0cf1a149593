using Surge.Engine.Executors;
using Surge.Engine.Steps;
using Surge.Plans;

namespace Surge.Engine;

/// <summary>Starts every scenario at its startTime and returns when all have stopped.</summary>
internal sealed class LoadEngine : IDisposable
{
    private readonly EngineContext _context;
    private readonly ScenarioRuntime? _setup;
    private readonly ScenarioRuntime? _teardown;

    public LoadEngine(TestPlan plan, EngineContext context)
    {
        _context = context;
        Scenarios = [.. plan.Scenarios.Select(s => new ScenarioRuntime(s, context, StepCompiler.Compile))];
        _setup = Lifecycle("setup", plan.Setup, context);
        _teardown = Lifecycle("teardown", plan.Teardown, context);
    }

    public IReadOnlyList<ScenarioRuntime> Scenarios { get; }

    /// <summary>Creates every scenario's starting VUs ahead of the start (see <see cref="ScenarioRuntime.PrepareVus"/>); returns how many.</summary>
    public int PrepareVus() => Scenarios.Sum(s => s.PrepareVus());

    /// <summary>Why setup failed, when it did; then no scenario ran.</summary>
    public string? SetupError { get; private set; }

    /// <summary>Setup (once), every scenario, then teardown (once), each lifecycle stage on a single VU like k6's.</summary>
    /// <param name="stop">Winds every scenario down gracefully: no new iterations, in-flight ones get gracefulStop.</param>
    public async Task RunAsync(CancellationToken stop)
    {
        _context.StartedAt = _context.Clock.Now;
        if (_setup is not null)
        {
            await RunScenarioAsync(_setup, stop).ConfigureAwait(false);
            if (_setup.FailedIterations > 0 || _setup.CompletedIterations == 0)
            {
                SetupError = _setup.FirstError ?? "setup did not complete";
                return;
            }
            _context.SetupOutputs.Publish(_setup.Vus[0].Variables.Own);
        }
        await Task.WhenAll(Scenarios.Select(scenario => RunScenarioAsync(scenario, stop))).ConfigureAwait(false);
        _context.CloseSharedHttp2();
        if (_teardown is not null)
        {
            await RunScenarioAsync(_teardown, CancellationToken.None).ConfigureAwait(false);
            TeardownError = _teardown.FailedIterations > 0 ? _teardown.FirstError : null;
        }
    }

    /// <summary>Why teardown failed, when it did; the run's results stand.</summary>
    public string? TeardownError { get; private set; }

    private static ScenarioRuntime? Lifecycle(string name, IReadOnlyList<Step> steps, EngineContext context) => steps.Count == 0
        ? null
        : new ScenarioRuntime(new ScenarioPlan
        {
            Name = name,
            Executor = new PerVuIterationsExecutor(1, 1, ExecutorPlan.DefaultMaxDuration),
            Steps = steps,
        }, context, StepCompiler.Compile) { IsLifecycle = true };

    private static async Task RunScenarioAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        await Task.Yield();
        if (scenario.Plan.StartTime > TimeSpan.Zero)
        {
            try
            {
                await scenario.Clock.Delay(scenario.Plan.StartTime, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                scenario.BeginStop();
                await scenario.DrainAsync().ConfigureAwait(false);
                return;
            }
        }
        scenario.MarkStarted();
        using var ends = CancellationTokenSource.CreateLinkedTokenSource(stop, scenario.WindDownToken);
        await scenario.RunWithinLimitsAsync(ExecutorFactory.Create(scenario.Plan.Executor).RunAsync(scenario, ends.Token), stop).ConfigureAwait(false);
        scenario.CloseHttp2Connections();
    }

    public void Dispose()
    {
        foreach (var scenario in Scenarios)
        {
            scenario.Dispose();
        }
        _setup?.Dispose();
        _teardown?.Dispose();
    }
}
