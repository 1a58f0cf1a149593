namespace Surge.Capacity;

/// <summary>
/// How `surge find-capacity` raises the rate: from <see cref="StartRate"/> times <see cref="Factor"/> per step until a
/// step fails, then bisection until the last passing and the first failing rate are within <see cref="Precision"/>.
/// </summary>
public sealed record CapacityOptions
{
    /// <summary>Iterations per second of the first step (`--start-rate`), 10 by default; more than 0.</summary>
    public double StartRate { get; init; } = 10;

    /// <summary>What each step multiplies the rate by until a step fails (`--factor`), 2 by default; above 1.</summary>
    public double Factor { get; init; } = 2;

    /// <summary>
    /// Bisection stops when (first failing − last passing) / last passing is at most this (`--precision`); 0.05, 5%,
    /// by default, between 0 and 1.
    /// </summary>
    public double Precision { get; init; } = 0.05;

    /// <summary>No step runs above this rate, in iterations per second (`--max-rate`), 100,000 by default; a search that passes it reports "at least".</summary>
    public double MaxRate { get; init; } = 100_000;

    /// <summary>
    /// Every step lasts this long when set (`--step-duration`, at least 1s). Null, the default, sizes each step so that
    /// the highest percentile the thresholds judge rests on <see cref="TailSamples"/> samples beyond it, between
    /// <see cref="MinStepDuration"/> and <see cref="MaxStepDuration"/>.
    /// </summary>
    public TimeSpan? StepDuration { get; init; }

    /// <summary>The shortest a sized step lasts (`--min-step-duration`), 10s by default; at least 1s.</summary>
    public TimeSpan MinStepDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest a sized step lasts (`--max-step-duration`), 2m by default; a step that would need longer is cut to
    /// this and says so in its <see cref="CapacityStep.Note"/>.
    /// </summary>
    public TimeSpan MaxStepDuration { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How many samples the judged percentile must have beyond it (100 beyond p(99) means 10,000 samples).</summary>
    public int TailSamples { get; init; } = 100;

    /// <summary>A step whose iteration_start_delay p(99) is above this is inconclusive: the generator started iterations late.</summary>
    public TimeSpan MaxStartDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>An unjudged run at the start rate before the first step, so JIT, connection set-up and a cold server do not fail it.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How many times an inconclusive step is run again before the search stops there.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Problems with the options, for an exit-104 message; empty when they are usable.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (!(StartRate > 0) || double.IsInfinity(StartRate))
        {
            problems.Add($"--start-rate must be a positive number of iterations per second, not {StartRate}");
        }
        if (!(Factor > 1) || double.IsInfinity(Factor))
        {
            problems.Add($"--factor must be above 1 (each step multiplies the rate by it), not {Factor}");
        }
        if (!(Precision > 0 && Precision < 1))
        {
            problems.Add($"--precision must be between 0 and 1 (0.05 is 5%), not {Precision}");
        }
        if (!(MaxRate >= StartRate) || double.IsInfinity(MaxRate))
        {
            problems.Add($"--max-rate ({MaxRate}) must be at least --start-rate ({StartRate})");
        }
        if (StepDuration is { } fixedDuration && fixedDuration < TimeSpan.FromSeconds(1))
        {
            problems.Add($"--step-duration must be at least 1s, not {Plans.Durations.Format(fixedDuration)}");
        }
        if (MinStepDuration < TimeSpan.FromSeconds(1) || MaxStepDuration < MinStepDuration)
        {
            problems.Add("--min-step-duration must be at least 1s and at most --max-step-duration");
        }
        if (MaxStartDelay <= TimeSpan.Zero)
        {
            problems.Add("--max-start-delay must be above 0");
        }
        if (Warmup < TimeSpan.Zero)
        {
            problems.Add("--warmup cannot be negative");
        }
        if (Retries is < 0 or > 10)
        {
            problems.Add($"--retries must be between 0 and 10, not {Retries}");
        }
        if (TailSamples < 1)
        {
            problems.Add($"--tail-samples must be at least 1, not {TailSamples}");
        }
        return problems;
    }
}
