namespace Surge.Engine.Executors;

/// <summary>Decides when iterations start. Returns when the scenario has fully stopped (after its graceful stop).</summary>
internal interface IExecutor
{
    /// <param name="scenario">The scenario whose iterations this executor starts.</param>
    /// <param name="stop">Cancelled when the run asks every scenario to wind down early (Ctrl-C, an aborting threshold).</param>
    Task RunAsync(ScenarioRuntime scenario, CancellationToken stop);
}
