namespace Surge.Metrics;

/// <summary>
/// A read-only view of the running totals and of the last interval, indexed by series. Valid until the recorder
/// collects again, so live sinks read it during their callback and copy what they keep.
/// </summary>
public sealed class MetricsSnapshot
{
    private readonly MetricRegistry _registry;
    private readonly MetricAggregate?[] _totals;
    private readonly MetricAggregate?[] _interval;

    internal MetricsSnapshot(MetricRegistry registry, MetricAggregate?[] totals, MetricAggregate?[] interval, TimeSpan elapsed, TimeSpan intervalLength)
    {
        _registry = registry;
        _totals = totals;
        _interval = interval;
        Elapsed = elapsed;
        IntervalLength = intervalLength;
    }

    /// <summary>Time since the run started.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>How long the last interval lasted (about the run's snapshot interval, 1 s by default); its values cover exactly this span.</summary>
    public TimeSpan IntervalLength { get; }

    internal MetricRegistry Registry => _registry;

    /// <summary>Every series with data so far, with its running total and its values in the last interval (may be empty).</summary>
    public IEnumerable<SeriesValues> Series()
    {
        for (var id = 0; id < _totals.Length; id++)
        {
            if (_totals[id] is { } total)
            {
                var info = _registry.GetSeriesInfo(id);
                yield return new SeriesValues(info.Metric, info.Tags, total, _interval[id]);
            }
        }
    }

    /// <summary>Merges the running totals (or the interval) of every series of a metric whose tags match the filter.</summary>
    public MetricAggregate Aggregate(MetricDefinition metric, TagSet filter, bool intervalOnly = false)
    {
        var merged = new MetricAggregate(metric.Kind);
        foreach (var series in Series())
        {
            if (series.Metric.Name == metric.Name && series.Tags.Matches(filter))
            {
                var source = intervalOnly ? series.Interval : series.Total;
                if (source is not null)
                {
                    merged.Merge(source);
                }
            }
        }
        return merged;
    }

    /// <summary>One series: a metric with one tag set, its running total and its last interval.</summary>
    /// <param name="Metric">The metric the series belongs to.</param>
    /// <param name="Tags">The series' tags (scenario, name, status...); the overflow series is tagged <c>overflow:true</c>.</param>
    /// <param name="Total">Everything recorded since the run started.</param>
    /// <param name="Interval">What was recorded in the last interval alone; null or empty when nothing was.</param>
    public readonly record struct SeriesValues(MetricDefinition Metric, TagSet Tags, MetricAggregate Total, MetricAggregate? Interval);
}
