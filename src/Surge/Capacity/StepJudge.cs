using System.Globalization;
using Surge.Health;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Capacity;

/// <summary>
/// Judges one step from its own summary. The generator is checked first, from the step's own numbers: a step in
/// which Surge could not hold the rate is inconclusive, whatever the thresholds say. The signals, any one enough:
/// <list type="bullet">
/// <item>this process's CPU over the step at <see cref="SaturatedCpu"/> or more of every core it may use
/// (the average of surge_generator_cpu, see <see cref="GeneratorCpu"/>);</item>
/// <item>a stretch of 3 s or more in which the generator was saturated (<see cref="GeneratorSaturation"/>: CPU at 90% or
/// its timer probe more than 10 ms late), even when the step's average stayed below;</item>
/// <item>p(99) of iteration_start_delay above <see cref="CapacityOptions.MaxStartDelay"/> (10 ms by default): iterations started late on the generator's side
/// (an arrival-rate executor never waits for the server, so lateness is the generator's);</item>
/// <item>fewer than <see cref="MinAchievedShare"/> of the scheduled iterations completed, with none dropped.</item>
/// </list>
/// Dropped iterations are not a generator signal: every VU up to maxVUs was busy waiting for responses, which is the
/// server being slow. More than <see cref="MaxDroppedShare"/> of them fails the step even if no threshold names them,
/// because the latency of the dropped arrivals is missing from every percentile.
/// </summary>
internal static class StepJudge
{
    public const double SaturatedCpu = GeneratorSaturation.SaturatedCpu;
    public const double MinAchievedShare = 0.9;
    public const double MaxDroppedShare = 0.01;

    public static CapacityStep Judge(RunSummary summary, double rate, TimeSpan duration, double generatorCpu, TimeSpan maxStartDelay, string? note = null)
    {
        var seconds = duration.TotalSeconds;
        var completed = summary.Scenarios.Sum(s => s.CompletedIterations);
        var dropped = summary.Scenarios.Sum(s => s.DroppedIterations);
        var achieved = completed / seconds;
        var startDelay = TrendP99(summary, BuiltinMetrics.IterationStartDelay.Name);
        var step = new CapacityStep
        {
            Rate = rate,
            Duration = duration,
            Verdict = StepVerdict.Passed,
            AchievedRate = achieved,
            P95 = summary.Find(BuiltinMetrics.HttpReqDuration.Name) is { Total: { IsEmpty: false } duration95 } ? duration95.Stat("p(95)", summary.Duration) : null,
            ErrorRate = summary.Find(BuiltinMetrics.HttpReqFailed.Name) is { Total: { IsEmpty: false } failed } ? failed.Stat("rate", summary.Duration) : null,
            DroppedIterations = dropped,
            GeneratorCpu = generatorCpu,
            StartDelayP99 = startDelay,
            Note = note,
        };

        var generator = new List<string>();
        if (generatorCpu >= SaturatedCpu)
        {
            generator.Add($"generator CPU at {Percent(generatorCpu)} of {Environment.ProcessorCount} cores");
        }
        if (GeneratorSaturation.Describe(GeneratorSaturation.Spans(summary.Timeline)) is { } saturated)
        {
            generator.Add(saturated);
        }
        if (startDelay > maxStartDelay.TotalMilliseconds)
        {
            generator.Add($"iterations started late: iteration_start_delay p(99) {Number(startDelay.Value)} ms > {Number(maxStartDelay.TotalMilliseconds)} ms");
        }
        var scheduled = rate * seconds;
        if (dropped == 0 && completed < MinAchievedShare * scheduled && summary.Outcome == RunOutcome.Completed)
        {
            generator.Add($"only {Number(achieved)}/s of {Number(rate)}/s completed, none dropped");
        }
        if (generator.Count > 0)
        {
            return step with { Verdict = StepVerdict.Inconclusive, Reasons = generator };
        }

        var failures = summary.Thresholds.Where(t => !t.Passed).ToList();
        var reasons = failures.Select(t => $"{t.Key}: {t.Expression.Text} failed, observed {(t.Observed is { } o ? Number(o) : "no data")}").ToList();
        if (dropped > MaxDroppedShare * scheduled)
        {
            reasons.Add($"{dropped} iterations dropped ({Percent(dropped / scheduled)}): every VU was still waiting for the server");
        }
        if (summary.Outcome == RunOutcome.SetupFailed)
        {
            reasons.Add("setup failed, so the scenario did not run");
        }
        return reasons.Count == 0 ? step : step with { Verdict = StepVerdict.Failed, Reasons = reasons, FailedThresholds = failures };
    }

    /// <summary>
    /// The average of surge_generator_cpu over the step's intervals, or null when the run did not watch itself. Unlike
    /// the process's CPU over the whole call, it leaves out the step's start-up (plan, JIT) and its end.
    /// </summary>
    public static double? GeneratorCpu(RunSummary summary) =>
        summary.Find(BuiltinMetrics.GeneratorCpu.Name) is { Total: { IsEmpty: false } cpu } ? cpu.Stat("avg", summary.Duration) : null;

    private static double? TrendP99(RunSummary summary, string metric) =>
        summary.Find(metric) is { Total: { IsEmpty: false } values } ? values.Stat("p(99)", summary.Duration) : null;

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
