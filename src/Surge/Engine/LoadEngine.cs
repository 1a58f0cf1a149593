using Surge.Engine.Executors;
using Surge.Engine.Steps;
using Surge.Plans;

namespace Surge.Engine;

/// <summary>Starts every scenario at its startTime and returns when all have stopped.</summary>
public sealed class LoadEngine : IDisposable
{
    public LoadEngine(TestPlan plan, EngineContext context)
    {
        Scenarios = [.. plan.Scenarios.Select(s => new ScenarioRuntime(s, context, StepCompiler.Compile))];
    }

    public IReadOnlyList<ScenarioRuntime> Scenarios { get; }

    /// <param name="stop">Winds every scenario down gracefully: no new iterations, in-flight ones get gracefulStop.</param>
    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll(Scenarios.Select(scenario => RunScenarioAsync(scenario, stop)));

    private static async Task RunScenarioAsync(ScenarioRuntime scenario, CancellationToken stop)
    {
        await Task.Yield();
        if (scenario.Plan.StartTime > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(scenario.Plan.StartTime, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                scenario.BeginStop();
                await scenario.DrainAsync().ConfigureAwait(false);
                return;
            }
        }
        scenario.MarkStarted();
        await ExecutorFactory.Create(scenario.Plan.Executor).RunAsync(scenario, stop).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var scenario in Scenarios)
        {
            scenario.Dispose();
        }
    }
}
