using Surge.Engine;
using Surge.Metrics;

namespace Surge.Results;

/// <summary>What the run looks like right now: metric totals and the last interval, and each scenario's progress.</summary>
/// <param name="Metrics">Running totals and the last interval of every series; valid only during the sink's callback.</param>
/// <param name="Scenarios">Each scenario's progress, in plan order.</param>
/// <param name="Thresholds">Every threshold judged on the running totals now; one without data yet has a null Observed.</param>
public sealed record LiveSnapshot(MetricsSnapshot Metrics, IReadOnlyList<ScenarioProgress> Scenarios, IReadOnlyList<ThresholdResult> Thresholds);

/// <summary>One scenario while the run goes on, as progress lines and the dashboard show it.</summary>
/// <param name="Name">The scenario's name.</param>
/// <param name="Executor">k6's executor name, e.g. <c>constant-arrival-rate</c>.</param>
/// <param name="State">Waiting for its startTime, running, draining (gracefulStop) or done.</param>
/// <param name="ActiveVus">VUs busy now: looping VUs of closed models, VUs inside an iteration of open models.</param>
/// <param name="AllocatedVus">VUs created so far, busy or idle.</param>
/// <param name="PeakVus">The most VUs the executor may use on this instance: vus, the highest ramping-vus target, or maxVUs (at least preAllocatedVUs) for arrival rates and externally-controlled.</param>
/// <param name="CompletedIterations">Iterations that ran to the end so far.</param>
/// <param name="InterruptedIterations">Iterations cut off by a stop or the end of gracefulStop.</param>
/// <param name="DroppedIterations">Arrivals that found no free VU (arrival-rate executors).</param>
/// <param name="Elapsed">Time since the scenario's executor started; zero before its startTime.</param>
/// <param name="Duration">The executor's planned length (duration, the sum of its stages, or maxDuration for the iteration executors), without startTime and gracefulStop.</param>
public sealed record ScenarioProgress(
    string Name, string Executor, ScenarioState State, int ActiveVus, int AllocatedVus, int PeakVus,
    long CompletedIterations, long InterruptedIterations, long DroppedIterations, TimeSpan Elapsed, TimeSpan Duration);
