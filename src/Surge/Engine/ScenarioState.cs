namespace Surge.Engine;

public enum ScenarioState
{
    Waiting,
    Running,

    /// <summary>No new iterations; in-flight ones get up to gracefulStop to finish.</summary>
    Draining,
    Done,
}
