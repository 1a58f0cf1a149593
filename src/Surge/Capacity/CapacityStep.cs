using Surge.Results;

namespace Surge.Capacity;

/// <summary>What one step of a capacity search says about the server at its rate.</summary>
public enum StepVerdict
{
    /// <summary>Every threshold held and at most 1% of the arrivals were dropped.</summary>
    Passed,

    /// <summary>A threshold failed, more than 1% of the arrivals were dropped, or setup failed.</summary>
    Failed,

    /// <summary>The generator could not hold the rate: the step says nothing about the server.</summary>
    Inconclusive,
}

/// <summary>One step of the search: the rate asked for, what was measured, and the verdict with its reasons.</summary>
public sealed record CapacityStep
{
    /// <summary>The arrival rate asked for, in iterations per second.</summary>
    public required double Rate { get; init; }

    /// <summary>The step's planned length: <see cref="CapacityOptions.StepDuration"/> when set, else what the tail-samples rule chose (<see cref="CapacityOptions.Warmup"/> for the warm-up).</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Passed, failed, or inconclusive because the generator could not hold the rate.</summary>
    public required StepVerdict Verdict { get; init; }

    /// <summary>Why the step failed or was inconclusive, one sentence each; empty for a pass.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>Completed iterations per second of the step.</summary>
    public double AchievedRate { get; init; }

    /// <summary>p(95) of http_req_duration in milliseconds, or null without HTTP requests.</summary>
    public double? P95 { get; init; }

    /// <summary>The rate of http_req_failed, or null without HTTP requests.</summary>
    public double? ErrorRate { get; init; }

    /// <summary>Arrivals that found every VU busy and never started (k6's dropped_iterations).</summary>
    public long DroppedIterations { get; init; }

    /// <summary>This process's CPU over the step, as a share of every core it may use.</summary>
    public double GeneratorCpu { get; init; }

    /// <summary>p(99) of iteration_start_delay in milliseconds: how late the generator started iterations.</summary>
    public double? StartDelayP99 { get; init; }

    /// <summary>The thresholds this step failed, with their observed values.</summary>
    public IReadOnlyList<ThresholdResult> FailedThresholds { get; init; } = [];

    /// <summary>Set when the step was shorter than the rule asked (capped by --max-step-duration).</summary>
    public string? Note { get; init; }
}
