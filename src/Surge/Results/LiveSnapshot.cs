using Surge.Engine;
using Surge.Metrics;

namespace Surge.Results;

/// <summary>What the run looks like right now: metric totals and the last interval, and each scenario's progress.</summary>
public sealed record LiveSnapshot(MetricsSnapshot Metrics, IReadOnlyList<ScenarioProgress> Scenarios, IReadOnlyList<ThresholdResult> Thresholds);

public sealed record ScenarioProgress(
    string Name, string Executor, ScenarioState State, int ActiveVus, int AllocatedVus, int PeakVus,
    long CompletedIterations, long InterruptedIterations, long DroppedIterations, TimeSpan Elapsed, TimeSpan Duration);
