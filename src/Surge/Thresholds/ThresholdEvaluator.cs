using Surge.Metrics;
using Surge.Plans;
using Surge.Results;

namespace Surge.Thresholds;

/// <summary>Judges thresholds against aggregated values; it never touches the hot path.</summary>
internal static class ThresholdEvaluator
{
    private const int SeenValuesShown = 10;

    /// <summary>
    /// A statistic with no samples behind it (a p95 of no requests, a rate of no checks) has no value: the threshold
    /// fails with "no data" (Observed is null) unless its plan allows that. A counter's count is 0 on no samples, a
    /// real reading, so `dropped_iterations: count&lt;1` still passes on a clean run.
    /// </summary>
    /// <param name="thresholds">The plan's thresholds; the results come in the same order.</param>
    /// <param name="aggregate">The merged values for a key, or null when the metric does not exist.</param>
    /// <param name="elapsed">The run's duration so far, which turns counters into per-second rates.</param>
    public static IReadOnlyList<ThresholdResult> Evaluate(
        IReadOnlyList<ThresholdPlan> thresholds, Func<MetricKey, MetricAggregate?> aggregate, TimeSpan elapsed)
    {
        var results = new List<ThresholdResult>(thresholds.Count);
        foreach (var threshold in thresholds)
        {
            var stat = threshold.Expression.Stat;
            var values = aggregate(threshold.Key);
            var observed = values is null || values.HasNoDataFor(stat) ? null : values.Stat(stat, elapsed);
            var passed = observed is { } value ? threshold.Expression.IsSatisfiedBy(value) : threshold.AllowNoData;
            results.Add(new ThresholdResult(threshold.Key, threshold.Expression, observed, passed, threshold.AbortOnFail) { AllowNoData = threshold.AllowNoData });
        }
        return results;
    }

    /// <summary>
    /// One warning per threshold key whose tag filter matches no series of its metric, naming the tag values the run
    /// did see and the closest one: `http_req_duration{name:prodcts}` is almost always a typo, and on a counter it
    /// would otherwise pass quietly with a count of 0.
    /// </summary>
    public static IReadOnlyList<string> UnmatchedFilters(RunSummary summary)
    {
        var warnings = new List<string>();
        foreach (var key in summary.Thresholds.Select(t => t.Key).Where(k => k.Filter.Count > 0).Distinct())
        {
            var series = summary.Find(key.Metric)?.Series ?? [];
            if (series.Any(s => s.Tags.Matches(key.Filter)))
            {
                continue;
            }
            var reasons = new List<string>();
            foreach (var (tag, value) in key.Filter)
            {
                var seen = SeenValues(summary, series, tag);
                if (seen.Contains(value))
                {
                    continue;
                }
                var reason = seen.Count == 0
                    ? $"no {key.Metric} sample carries the tag '{tag}'"
                    : $"no {key.Metric} sample has {tag} '{value}'";
                if (Suggest.Closest(value, seen) is { } closest)
                {
                    reason += $"; did you mean '{closest}'?";
                }
                if (seen.Count > 0)
                {
                    reason += $" Seen: {string.Join(", ", seen.Take(SeenValuesShown))}{(seen.Count > SeenValuesShown ? $" and {seen.Count - SeenValuesShown} more" : "")}";
                }
                reasons.Add(reason);
            }
            if (reasons.Count == 0)
            {
                reasons.Add($"each of {key.Filter} was seen, but never on one {key.Metric} sample together");
            }
            warnings.Add($"threshold on {key} matches nothing this run measured: {string.Join("; ", reasons)}");
        }
        return warnings;
    }

    /// <summary>The values a tag took on the metric's series, or on any metric's when the metric never carried it.</summary>
    private static List<string> SeenValues(RunSummary summary, IEnumerable<MetricSeries> series, string tag)
    {
        var values = Values(series, tag);
        return values.Count > 0 ? values : Values(summary.Metrics.SelectMany(m => m.Series), tag);

        static List<string> Values(IEnumerable<MetricSeries> series, string tag) =>
        [
            .. series.Select(s => s.Tags[tag]).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal),
        ];
    }
}
