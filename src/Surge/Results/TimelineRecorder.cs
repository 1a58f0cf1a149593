using System.Globalization;
using Surge.Metrics;

namespace Surge.Results;

/// <summary>
/// Turns the collector's interval snapshots into the run's <see cref="TimelinePoint"/>s, within a fixed bound however
/// long the run: when the timeline fills up, adjacent pairs merge exactly and each later point spans twice as many
/// snapshots (1 s, 2 s, 4 s... at the default interval). Runs on the collector thread only, never on the hot path.
/// </summary>
internal sealed class TimelineRecorder
{
    /// <summary>
    /// 900 one-second points show a 15-minute run at full resolution, and a day-long run still at 2 minutes per point.
    /// An encoded histogram is a few hundred bytes, so the whole timeline stays well under a megabyte in memory and in
    /// result files, and one point per pixel fits a chart of ordinary width.
    /// </summary>
    public const int MaxPoints = 900;

    /// <summary>The metrics every timeline follows per slice unless told otherwise: the generator's own health.</summary>
    public static readonly IReadOnlyList<string> DefaultSeries = [.. BuiltinMetrics.Generator.Select(m => m.Name)];

    private readonly List<TimelinePoint> _points = [];
    private readonly DateTimeOffset _startedAt;
    private readonly HashSet<string> _followed;
    private readonly HashSet<string> _distributions;
    private Slice? _pending;
    private int _pendingSnapshots;
    private int _snapshotsPerPoint = 1;
    private TimeSpan? _end;

    /// <param name="startedAt">The wall-clock time of the run's start, from which every slice's wall-clock stamp is counted.</param>
    /// <param name="series">
    /// Metrics to keep per slice as <see cref="SliceStats"/> (all tags merged), beside the fixed HTTP fields; null for
    /// <see cref="DefaultSeries"/>.
    /// </param>
    /// <param name="custom">
    /// The test's own metrics, followed as well so that reports chart them over time; each trend among them also keeps
    /// its per-slice histogram (<see cref="SliceStats.EncodedHistogram"/>), so that its percentiles over time stay exact.
    /// </param>
    public TimelineRecorder(DateTimeOffset startedAt, IEnumerable<string>? series = null, IEnumerable<MetricDefinition>? custom = null)
    {
        _startedAt = startedAt.ToUniversalTime();
        var customMetrics = custom?.ToList() ?? [];
        _followed = new HashSet<string>([.. series ?? DefaultSeries, .. customMetrics.Select(m => m.Name)], StringComparer.Ordinal);
        _distributions = new HashSet<string>(customMetrics.Where(m => m.Kind == MetricKind.Trend).Select(m => m.Name), StringComparer.Ordinal);
    }

    public int SnapshotsPerPoint => _snapshotsPerPoint;

    /// <summary>Points so far, the partly filled last one included.</summary>
    public int Count => _points.Count + (_pending is null ? 0 : 1);

    /// <summary>
    /// The last interval added, on its own, whatever the timeline's resolution: what a live view appends next.
    /// Null before the first.
    /// </summary>
    public TimelinePoint? Latest { get; private set; }

    /// <summary>Adds one interval; <paramref name="snapshot"/> is read now and not kept.</summary>
    public void Add(MetricsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Add(Slice.From(snapshot, _startedAt, _followed, _distributions), snapshot.Elapsed);
    }

    /// <summary>
    /// Adds the closing snapshot taken after the load stopped. It counts only when it measured something a point
    /// shows: otherwise it spans the verify stage, not load, and would end the chart with an empty slice.
    /// </summary>
    public void AddFinal(MetricsSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var slice = Slice.From(snapshot, _startedAt, _followed, _distributions);
        if (slice.HasMeasurements)
        {
            Add(slice, snapshot.Elapsed);
        }
    }

    /// <summary>The timeline so far, the partly filled last point included.</summary>
    public IReadOnlyList<TimelinePoint> ToTimeline() =>
        _pending is null ? [.. _points] : [.. _points, _pending.ToPoint()];

    private void Add(Slice slice, TimeSpan elapsed)
    {
        if (_end is { } end)
        {
            // Elapsed and interval length are each rounded to ticks; chaining keeps the slices exactly contiguous.
            slice.StartAt(end);
        }
        _end = elapsed;
        Latest = slice.ToPoint();
        if (_pending is null)
        {
            _pending = slice;
        }
        else
        {
            _pending.Append(slice);
        }
        _pendingSnapshots++;
        if (_pendingSnapshots < _snapshotsPerPoint)
        {
            return;
        }
        // A point of one snapshot is the latest point itself: encoding its histogram again would give the same text.
        _points.Add(_pendingSnapshots == 1 ? Latest : _pending.ToPoint());
        _pending = null;
        _pendingSnapshots = 0;
        if (_points.Count == MaxPoints)
        {
            HalveResolution();
        }
    }

    private void HalveResolution()
    {
        var merged = new List<TimelinePoint>((_points.Count + 1) / 2);
        for (var i = 0; i < _points.Count; i += 2)
        {
            merged.Add(i + 1 < _points.Count ? Join(_points[i], _points[i + 1]) : _points[i]);
        }
        _points.Clear();
        _points.AddRange(merged);
        _snapshotsPerPoint *= 2;
    }

    /// <summary>Two adjacent points as one: counts add, histograms add exactly, VUs are the later point's.</summary>
    public static TimelinePoint Join(TimelinePoint earlier, TimelinePoint later)
    {
        var slice = Slice.From(earlier);
        slice.Append(Slice.From(later));
        return slice.ToPoint();
    }

    /// <summary>
    /// The same slice of time measured by several machines, as one point: counts add, histograms add exactly, and
    /// VUs add (each machine ran its own). The caller says when the slice was.
    /// </summary>
    public static TimelinePoint Overlay(IReadOnlyList<TimelinePoint> concurrent, DateTimeOffset runStartedAt, DateTimeOffset startedAt, TimeSpan length)
    {
        var slice = Slice.From(concurrent[0]);
        foreach (var point in concurrent.Skip(1))
        {
            slice.AddConcurrent(Slice.From(point));
        }
        slice.Span(runStartedAt, startedAt - runStartedAt, length);
        return slice.ToPoint();
    }

    /// <summary>A point being built, with its histogram decoded so that appending adds without re-encoding.</summary>
    private sealed class Slice
    {
        private readonly SortedDictionary<int, long> _statuses = [];
        private readonly SortedDictionary<string, SliceStats> _series = new(StringComparer.Ordinal);

        // Decoded while the slice is built, so that appending adds histograms without re-encoding each time.
        private readonly Dictionary<string, Histogram> _histograms = new(StringComparer.Ordinal);
        private readonly Histogram _duration;
        private DateTimeOffset _runStartedAt;
        private TimeSpan _start;
        private TimeSpan _end;
        private int _vus;
        private int _vusMax;
        private long _requests;
        private long _failed;
        private long _iterations;
        private long _dropped;
        private long _dataSent;
        private long _dataReceived;

        private Slice(Histogram duration)
        {
            _duration = duration;
        }

        public bool HasMeasurements =>
            _requests + _failed + _iterations + _dropped + _dataSent + _dataReceived + _duration.TotalCount > 0;

        public static Slice From(TimelinePoint point)
        {
            var slice = new Slice(point.Duration())
            {
                _runStartedAt = point.StartedAt - point.Start,
                _start = point.Start,
                _end = point.Start + point.Length,
                _vus = point.Vus,
                _vusMax = point.VusMax,
                _requests = point.Requests,
                _failed = point.FailedRequests,
                _iterations = point.Iterations,
                _dropped = point.DroppedIterations,
                _dataSent = point.DataSent,
                _dataReceived = point.DataReceived,
            };
            foreach (var (status, count) in point.Statuses)
            {
                slice._statuses[status] = count;
            }
            foreach (var (metric, stats) in point.Series)
            {
                slice._series[metric] = stats with { EncodedHistogram = null };
                if (stats.EncodedHistogram is { } encoded)
                {
                    slice._histograms[metric] = Histogram.FromBase64(encoded);
                }
            }
            return slice;
        }

        public static Slice From(MetricsSnapshot snapshot, DateTimeOffset runStartedAt, HashSet<string> followed, HashSet<string> distributions)
        {
            var slice = new Slice(new Histogram())
            {
                _runStartedAt = runStartedAt,
                _start = snapshot.Elapsed - snapshot.IntervalLength,
                _end = snapshot.Elapsed,
            };
            Dictionary<string, MetricAggregate>? merged = null;
            foreach (var series in snapshot.Series())
            {
                var name = series.Metric.Name;
                if (name == BuiltinMetrics.Vus.Name)
                {
                    // The collector sets this gauge before every snapshot, so the total's latest value is the current one.
                    slice._vus += (int)series.Total.Last;
                    continue;
                }
                if (name == BuiltinMetrics.VusMax.Name)
                {
                    slice._vusMax += (int)series.Total.Last;
                    continue;
                }
                if (series.Interval is not { IsEmpty: false } interval)
                {
                    continue;
                }
                if (followed.Contains(name))
                {
                    if (interval.Kind == MetricKind.Trend)
                    {
                        // Values are samples whatever their tags: the stats merge directly, with no histogram to build.
                        slice.AddSeries(name, SliceStats.From(interval)!.Value);
                        if (distributions.Contains(name))
                        {
                            slice.AddHistogram(name, interval.Histogram!);
                        }
                    }
                    else
                    {
                        // A counter's interval total (a gauge's last value) is one sample however tagged: merge first.
                        merged ??= new Dictionary<string, MetricAggregate>(StringComparer.Ordinal);
                        if (!merged.TryGetValue(name, out var all))
                        {
                            merged[name] = all = new MetricAggregate(interval.Kind);
                        }
                        all.Merge(interval);
                    }
                }
                if (name == BuiltinMetrics.HttpReqs.Name)
                {
                    var count = Count(interval.Sum);
                    slice._requests += count;
                    var status = int.TryParse(series.Tags["status"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
                    slice._statuses[status] = slice._statuses.GetValueOrDefault(status) + count;
                }
                else if (name == BuiltinMetrics.HttpReqFailed.Name)
                {
                    slice._failed += interval.Passes;
                }
                else if (name == BuiltinMetrics.Iterations.Name)
                {
                    slice._iterations += Count(interval.Sum);
                }
                else if (name == BuiltinMetrics.DroppedIterations.Name)
                {
                    slice._dropped += Count(interval.Sum);
                }
                else if (name == BuiltinMetrics.DataSent.Name)
                {
                    slice._dataSent += Count(interval.Sum);
                }
                else if (name == BuiltinMetrics.DataReceived.Name)
                {
                    slice._dataReceived += Count(interval.Sum);
                }
                else if (name == BuiltinMetrics.HttpReqDuration.Name)
                {
                    slice._duration.Add(interval.Histogram!);
                }
            }
            foreach (var (name, all) in merged ?? [])
            {
                if (SliceStats.From(all) is { } stats)
                {
                    slice._series[name] = stats;
                }
            }
            return slice;
        }

        // Counters hold whole requests and bytes; a double sum of integers is exact far beyond any run's totals.
        private static long Count(double sum) => (long)Math.Round(sum);

        public void StartAt(TimeSpan start) => _start = start;

        public void Span(DateTimeOffset runStartedAt, TimeSpan start, TimeSpan length)
        {
            _runStartedAt = runStartedAt;
            _start = start;
            _end = start + length;
        }

        public void AddConcurrent(Slice other)
        {
            _vus += other._vus;
            _vusMax += other._vusMax;
            AddCounts(other);
        }

        private void AddSeries(string metric, SliceStats stats) =>
            _series[metric] = _series.TryGetValue(metric, out var earlier) ? earlier.Merge(stats) : stats;

        private void AddHistogram(string metric, Histogram values)
        {
            if (!_histograms.TryGetValue(metric, out var histogram))
            {
                _histograms[metric] = histogram = new Histogram();
            }
            histogram.Add(values);
        }

        public void Append(Slice later)
        {
            _end = later._end;
            _vus = later._vus;
            _vusMax = later._vusMax;
            AddCounts(later);
        }

        private void AddCounts(Slice other)
        {
            _requests += other._requests;
            _failed += other._failed;
            _iterations += other._iterations;
            _dropped += other._dropped;
            _dataSent += other._dataSent;
            _dataReceived += other._dataReceived;
            foreach (var (status, count) in other._statuses)
            {
                _statuses[status] = _statuses.GetValueOrDefault(status) + count;
            }
            _duration.Add(other._duration);
            foreach (var (metric, stats) in other._series)
            {
                AddSeries(metric, stats);
            }
            foreach (var (metric, histogram) in other._histograms)
            {
                AddHistogram(metric, histogram);
            }
        }

        private SortedDictionary<string, SliceStats> SeriesWithHistograms()
        {
            var series = new SortedDictionary<string, SliceStats>(_series, StringComparer.Ordinal);
            foreach (var (metric, histogram) in _histograms)
            {
                if (series.TryGetValue(metric, out var stats))
                {
                    series[metric] = stats with { EncodedHistogram = histogram.ToBase64() };
                }
            }
            return series;
        }

        public TimelinePoint ToPoint() => new()
        {
            Start = _start,
            Length = _end - _start,
            StartedAt = _runStartedAt + _start,
            Vus = _vus,
            VusMax = _vusMax,
            Requests = _requests,
            FailedRequests = _failed,
            Iterations = _iterations,
            DroppedIterations = _dropped,
            DataSent = _dataSent,
            DataReceived = _dataReceived,
            Statuses = new SortedDictionary<int, long>(_statuses),
            EncodedDuration = _duration.ToBase64(),
            Series = _series.Count == 0 ? TimelinePoint.NoSeries : SeriesWithHistograms(),
        };
    }
}
