using System.Collections.Concurrent;

namespace Surge.Metrics;

/// <summary>
/// Names every series (a metric plus one tag set) with a small integer, so that the hot path records into arrays
/// indexed by series id. Creating a series is rare and locked; looking one up is lock-free. Beyond
/// <see cref="MaxSeriesPerMetric"/> distinct tag sets a metric folds new ones into a single overflow series and the
/// run gets a warning, so a URL with an id in it cannot eat memory without bound.
/// </summary>
internal sealed class MetricRegistry
{
    public static readonly TagSet OverflowTags = TagSet.From([new("overflow", "true")]);

    private readonly ConcurrentDictionary<(string Metric, TagSet Tags), int> _ids = new();
    private readonly Dictionary<string, MetricDefinition> _definitions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _seriesPerMetric = new(StringComparer.Ordinal);
    private readonly List<Series> _series = [];
    private readonly List<string> _warnings = [];
    private readonly Lock _lock = new();

    public MetricRegistry(int maxSeriesPerMetric = 1000)
    {
        MaxSeriesPerMetric = maxSeriesPerMetric;
        foreach (var metric in BuiltinMetrics.All)
        {
            Define(metric);
        }
    }

    public int MaxSeriesPerMetric { get; }

    public int SeriesCount
    {
        get
        {
            lock (_lock)
            {
                return _series.Count;
            }
        }
    }

    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (_lock)
            {
                return [.. _warnings];
            }
        }
    }

    /// <summary>Adds a metric; defining the same name twice with a different kind is an error.</summary>
    public MetricDefinition Define(MetricDefinition metric)
    {
        lock (_lock)
        {
            if (_definitions.TryGetValue(metric.Name, out var existing))
            {
                return existing.Kind == metric.Kind
                    ? existing
                    : throw new InvalidOperationException($"metric '{metric.Name}' is already a {existing.Kind}, not a {metric.Kind}");
            }
            _definitions.Add(metric.Name, metric);
            return metric;
        }
    }

    public MetricDefinition? Find(string name)
    {
        lock (_lock)
        {
            return _definitions.GetValueOrDefault(name);
        }
    }

    public IReadOnlyList<MetricDefinition> Definitions
    {
        get
        {
            lock (_lock)
            {
                return [.. _definitions.Values];
            }
        }
    }

    public int GetSeries(MetricDefinition metric, TagSet tags)
    {
        if (_ids.TryGetValue((metric.Name, tags), out var id))
        {
            return id;
        }
        lock (_lock)
        {
            return GetOrCreateLocked(metric, tags);
        }
    }

    private int GetOrCreateLocked(MetricDefinition metric, TagSet tags)
    {
        if (_ids.TryGetValue((metric.Name, tags), out var id))
        {
            return id;
        }
        var count = _seriesPerMetric.GetValueOrDefault(metric.Name);
        if (count >= MaxSeriesPerMetric && !tags.Equals(OverflowTags))
        {
            if (count == MaxSeriesPerMetric)
            {
                _warnings.Add($"metric '{metric.Name}' reached {MaxSeriesPerMetric} distinct tag sets; further ones are " +
                    "folded into one series tagged overflow:true. Give requests with dynamic URLs a `name`.");
                _seriesPerMetric[metric.Name] = count + 1;
            }
            id = GetOrCreateLocked(metric, OverflowTags);
        }
        else
        {
            id = _series.Count;
            _series.Add(new Series(metric, tags));
            _seriesPerMetric[metric.Name] = count + 1;
        }
        _ids[(metric.Name, tags)] = id;
        return id;
    }

    public Series GetSeriesInfo(int id)
    {
        lock (_lock)
        {
            return _series[id];
        }
    }

    public readonly record struct Series(MetricDefinition Metric, TagSet Tags);
}
