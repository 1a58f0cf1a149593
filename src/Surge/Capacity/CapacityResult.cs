namespace Surge.Capacity;

/// <summary>What a breakpoint search found: every step in the order run, and what they mean together.</summary>
public sealed record CapacityResult
{
    /// <summary>The scenario whose arrival rate was raised.</summary>
    public required string Scenario { get; init; }

    /// <summary>The options the search ran with.</summary>
    public required CapacityOptions Options { get; init; }

    /// <summary>Every judged step in the order run, retries of inconclusive ones included; not the warm-up.</summary>
    public required IReadOnlyList<CapacityStep> Steps { get; init; }

    /// <summary>The highest rate whose step met every threshold, or null when none did.</summary>
    public double? Capacity => LastPass?.Rate;

    /// <summary>The passing step with the highest rate, or null when none passed.</summary>
    public CapacityStep? LastPass => Steps.Where(s => s.Verdict == StepVerdict.Passed).MaxBy(s => s.Rate);

    /// <summary>The lowest failing rate: the capacity lies between <see cref="Capacity"/> and it.</summary>
    public CapacityStep? FirstFailure => Steps.Where(s => s.Verdict == StepVerdict.Failed).MinBy(s => s.Rate);

    /// <summary>Why the search ended, in one sentence.</summary>
    public required string Conclusion { get; init; }

    /// <summary>True when the search was stopped (Ctrl-C) before it converged; the steps so far still stand.</summary>
    public bool Interrupted { get; init; }

    /// <summary>How many times the lowest-rate step's p95 marks the latency knee.</summary>
    public const double KneeFactor = 2;

    /// <summary>
    /// The latency knee: the lowest-rate step whose p95 is at least <see cref="KneeFactor"/> times the p95 of the
    /// lowest-rate step (the low-load p95). Inconclusive steps are left out. Null when latency never rose that much.
    /// </summary>
    public CapacityStep? Knee
    {
        get
        {
            var judged = Steps.Where(s => s.Verdict != StepVerdict.Inconclusive && s.P95 is not null).OrderBy(s => s.Rate).ToList();
            if (judged.Count < 2 || judged[0].P95 is not > 0)
            {
                return null;
            }
            var baseline = judged[0].P95!.Value;
            return judged.Skip(1).FirstOrDefault(s => s.P95 >= KneeFactor * baseline);
        }
    }

    /// <summary>
    /// The p(95) of http_req_duration in milliseconds at the lowest rate judged, the baseline of <see cref="Knee"/>;
    /// null without such a step.
    /// </summary>
    public double? LowLoadP95 =>
        Steps.Where(s => s.Verdict != StepVerdict.Inconclusive && s.P95 is not null).MinBy(s => s.Rate)?.P95;
}
