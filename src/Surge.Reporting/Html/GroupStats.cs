using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Html;

/// <summary>
/// One value of a grouping tag (a scenario, a user) over the whole run: what its requests and iterations did. Read
/// from the summary's series that carry the tag, so requests of setup or of untagged series are in no group.
/// </summary>
internal sealed record GroupStats(string Tag, string Name)
{
    public long Requests { get; init; }

    public long Failures { get; init; }

    public required MetricAggregate Duration { get; init; }

    /// <summary>Completed iterations, or null when iterations do not carry this tag.</summary>
    public long? Iterations { get; init; }

    public double ErrorRate => Requests == 0 ? 0 : (double)Failures / Requests;

    /// <summary>Every value the tag takes in the run, busiest first; empty when no series carries it.</summary>
    public static IReadOnlyList<GroupStats> By(RunSummary summary, string tag)
    {
        IEnumerable<MetricSeries> Series(MetricDefinition metric) =>
            (summary.Find(metric.Name)?.Series ?? []).Where(s => s.Tags[tag] is not null);
        var names = Series(BuiltinMetrics.HttpReqs).Concat(Series(BuiltinMetrics.Iterations))
            .Select(s => s.Tags[tag]!).Distinct(StringComparer.Ordinal);
        var iterationsTagged = Series(BuiltinMetrics.Iterations).Any();
        return
        [
            .. names
                .Select(name =>
                {
                    var duration = new MetricAggregate(MetricKind.Trend);
                    foreach (var series in Series(BuiltinMetrics.HttpReqDuration).Where(s => s.Tags[tag] == name))
                    {
                        duration.Merge(series.Values);
                    }
                    return new GroupStats(tag, name)
                    {
                        Requests = (long)Series(BuiltinMetrics.HttpReqs).Where(s => s.Tags[tag] == name).Sum(s => s.Values.Sum),
                        Failures = Series(BuiltinMetrics.HttpReqFailed).Where(s => s.Tags[tag] == name).Sum(s => s.Values.Passes),
                        Duration = duration,
                        Iterations = iterationsTagged
                            ? (long)Series(BuiltinMetrics.Iterations).Where(s => s.Tags[tag] == name).Sum(s => s.Values.Sum)
                            : null,
                    };
                })
                .OrderByDescending(g => g.Requests)
                .ThenBy(g => g.Name, StringComparer.Ordinal),
        ];
    }
}
