namespace Surge.Engine;

/// <summary>Where a scenario is in its life, as progress lines and the dashboard show it.</summary>
public enum ScenarioState
{
    /// <summary>Not started yet: waiting for its startTime (or for the run to start).</summary>
    Waiting,

    /// <summary>Its executor is starting iterations.</summary>
    Running,

    /// <summary>No new iterations; in-flight ones get up to gracefulStop to finish.</summary>
    Draining,
    /// <summary>Finished: no iteration runs any more (those still running at the end were interrupted).</summary>
    Done,
}
