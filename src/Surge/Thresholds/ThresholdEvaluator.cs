using Surge.Metrics;
using Surge.Plans;
using Surge.Results;

namespace Surge.Thresholds;

/// <summary>Judges thresholds against aggregated values; it never touches the hot path.</summary>
public static class ThresholdEvaluator
{
    /// <param name="aggregate">The merged values for a key, or null when the metric does not exist.</param>
    /// <param name="elapsed">The run's duration so far, which turns counters into per-second rates.</param>
    public static IReadOnlyList<ThresholdResult> Evaluate(
        IReadOnlyList<ThresholdPlan> thresholds, Func<MetricKey, MetricAggregate?> aggregate, TimeSpan elapsed)
    {
        var results = new List<ThresholdResult>(thresholds.Count);
        foreach (var threshold in thresholds)
        {
            var observed = aggregate(threshold.Key)?.Stat(threshold.Expression.Stat, elapsed);
            var passed = observed is { } value && threshold.Expression.IsSatisfiedBy(value);
            results.Add(new ThresholdResult(threshold.Key, threshold.Expression, observed, passed, threshold.AbortOnFail));
        }
        return results;
    }
}
