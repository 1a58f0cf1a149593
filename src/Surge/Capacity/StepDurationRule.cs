using Surge.Metrics;
using Surge.Plans;

namespace Surge.Capacity;

/// <summary>
/// How long a step lasts: long enough that the highest percentile the thresholds judge rests on
/// <see cref="CapacityOptions.TailSamples"/> samples beyond it (p(95) needs 100 / 0.05 = 2,000 iterations, p(99)
/// 10,000; avg, rate and count need only the tail samples), and never shorter than the minimum step duration. A step
/// is capped at the maximum step duration, and says so. A fixed --step-duration replaces the rule.
/// </summary>
internal static class StepDurationRule
{
    public static (TimeSpan Duration, string? Note) For(TestPlan plan, double rate, CapacityOptions options)
    {
        if (options.StepDuration is { } fixedDuration)
        {
            return (fixedDuration, null);
        }
        var percentile = HighestPercentile(plan);
        var tailShare = percentile is { } p ? 1 - p / 100 : 1;
        var samples = tailShare > 0 ? options.TailSamples / tailShare : double.PositiveInfinity;
        var needed = TimeSpan.FromSeconds(Math.Ceiling(Math.Min(samples / rate, options.MaxStepDuration.TotalSeconds + 1)));
        if (needed > options.MaxStepDuration)
        {
            var label = percentile is { } q ? $"p({q.ToString(System.Globalization.CultureInfo.InvariantCulture)})" : "the judged statistic";
            return (options.MaxStepDuration,
                $"{label} rests on fewer than {options.TailSamples} samples beyond it: the step was capped at --max-step-duration");
        }
        return (needed < options.MinStepDuration ? options.MinStepDuration : needed, null);
    }

    /// <summary>The highest p(N) (med counts as 50, max as 100) among the thresholds, or null when none judges a percentile.</summary>
    public static double? HighestPercentile(TestPlan plan)
    {
        double? highest = null;
        foreach (var threshold in plan.Thresholds)
        {
            var stat = threshold.Expression.Stat;
            var percentile = stat switch
            {
                "med" => 50,
                "max" => 100,
                _ => MetricAggregate.ParsePercentile(stat),
            };
            if (percentile is { } p && (highest is null || p > highest))
            {
                highest = p;
            }
        }
        return highest;
    }
}
