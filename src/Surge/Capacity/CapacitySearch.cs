using System.Globalization;

namespace Surge.Capacity;

/// <summary>
/// The search itself, apart from how a step runs: geometric steps (rate × factor) until one fails, then bisection
/// between the last passing and the first failing rate until they are within the precision. An inconclusive step
/// (the generator could not hold the rate) is run again up to <see cref="CapacityOptions.Retries"/> times; still
/// inconclusive, the search stops there and reports what it knows, because going higher would only saturate the
/// generator further.
/// </summary>
public static class CapacitySearch
{
    /// <summary>Runs one step at a rate and judges it.</summary>
    public delegate Task<CapacityStep> StepRunner(double rate, CancellationToken cancellationToken);

    /// <summary>
    /// Searches for the highest rate that passes. It stops when the gap has converged, when the first step fails,
    /// when <see cref="CapacityOptions.MaxRate"/> passes, when a step stays inconclusive, or when cancelled.
    /// </summary>
    /// <param name="scenario">The scenario's name, carried into the result.</param>
    /// <param name="options">Start rate, factor, precision, maximum rate and retries; assumed valid (<see cref="CapacityOptions.Problems"/>).</param>
    /// <param name="runStep">Runs and judges one step at a rate in iterations per second.</param>
    /// <param name="onStep">Called after every step, retries included, e.g. to print it as it comes.</param>
    /// <param name="cancellationToken">Stops the search; a step cut short counts as inconclusive and the result is marked interrupted.</param>
    public static async Task<CapacityResult> RunAsync(string scenario, CapacityOptions options, StepRunner runStep,
        Action<CapacityStep>? onStep = null, CancellationToken cancellationToken = default)
    {
        var steps = new List<CapacityStep>();
        double? lastPass = null;
        double? firstFail = null;
        var rate = options.StartRate;
        string conclusion;
        while (true)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return Result(scenario, options, steps, "interrupted: the search stopped before it converged", interrupted: true);
            }
            var step = await RunJudgedAsync(rate, 1 + options.Retries, runStep, steps, onStep, cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                return Result(scenario, options, steps, "interrupted: the search stopped before it converged", interrupted: true);
            }
            if (step.Verdict == StepVerdict.Inconclusive)
            {
                conclusion = $"stopped at {Rate(rate)}/s: the generator could not hold that rate {1 + options.Retries} times in a row ({string.Join("; ", step.Reasons)}), so higher rates would measure Surge, not the server";
                break;
            }
            if (step.Verdict == StepVerdict.Passed)
            {
                lastPass = rate;
            }
            else
            {
                firstFail = rate;
            }
            if (lastPass is null)
            {
                conclusion = $"even the first step ({Rate(rate)}/s) failed; lower --start-rate";
                break;
            }
            if (firstFail is null)
            {
                if (rate >= options.MaxRate)
                {
                    conclusion = $"every step up to --max-rate {Rate(options.MaxRate)}/s passed: the capacity is at least that";
                    break;
                }
                rate = Math.Min(rate * options.Factor, options.MaxRate);
                continue;
            }
            if (HasConverged(lastPass.Value, firstFail.Value, options.Precision))
            {
                conclusion = $"converged: {Rate(lastPass.Value)}/s passed and {Rate(firstFail.Value)}/s failed, {Percent((firstFail.Value - lastPass.Value) / lastPass.Value)} apart (precision {Percent(options.Precision)})";
                break;
            }
            rate = (lastPass.Value + firstFail.Value) / 2;
        }
        return Result(scenario, options, steps, conclusion, interrupted: false);
    }

    /// <summary>True when the gap between the last pass and the first failure is within the precision of the pass.</summary>
    public static bool HasConverged(double lastPass, double firstFail, double precision) =>
        (firstFail - lastPass) / lastPass <= precision;

    private static async Task<CapacityStep> RunJudgedAsync(double rate, int attempts, StepRunner runStep, List<CapacityStep> steps,
        Action<CapacityStep>? onStep, CancellationToken cancellationToken)
    {
        CapacityStep step = null!;
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            step = await runStep(rate, cancellationToken).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                // Cut short, the step is shorter than its rule asked: neither a pass nor a failure can be trusted.
                step = step with { Verdict = StepVerdict.Inconclusive, Reasons = ["the search was stopped during this step"] };
            }
            steps.Add(step);
            onStep?.Invoke(step);
            if (step.Verdict != StepVerdict.Inconclusive || cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
        return step;
    }

    private static CapacityResult Result(string scenario, CapacityOptions options, List<CapacityStep> steps, string conclusion, bool interrupted) =>
        new() { Scenario = scenario, Options = options, Steps = steps, Conclusion = conclusion, Interrupted = interrupted };

    internal static string Rate(double rate) => rate.ToString(rate >= 100 ? "0.#" : "0.##", CultureInfo.InvariantCulture);

    private static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
}
