namespace Surge.Results;

/// <summary>
/// The timelines of several machines on one wall-clock grid. Each machine's slices are first joined in neighbouring
/// runs up to the coarsest machine's width (joining is exact: counts and histograms add), then placed by the wall-clock
/// time of their machine's first slice, so every slice lands whole in one grid slice, a machine's slices in consecutive
/// ones, and no slice is ever split or counted twice. A slice of the grid adds up what every machine measured in it.
/// </summary>
internal sealed class TimelineAlignment
{
    private readonly List<Dictionary<int, TimelinePoint>> _byPart;
    private readonly List<(DateTimeOffset StartedAt, TimeSpan Length)> _grid;
    private readonly List<int> _slices;
    private readonly DateTimeOffset _runStartedAt;

    private TimelineAlignment(List<Dictionary<int, TimelinePoint>> byPart, DateTimeOffset runStartedAt)
    {
        _byPart = byPart;
        _runStartedAt = runStartedAt;
        _slices = [.. byPart.SelectMany(p => p.Keys).Distinct().Order()];
        _grid = [];
        var timeline = new List<TimelinePoint>();
        foreach (var slice in _slices)
        {
            var points = byPart.Where(p => p.ContainsKey(slice)).Select(p => p[slice]).ToList();

            // The machines' slices in one grid slice started within a slice's width of each other; the mean of their
            // spans is when the grid slice was, and keeps a rate (requests / length) the sum of the machines' rates.
            var start = new DateTimeOffset((long)points.Average(p => (double)p.StartedAt.UtcTicks), TimeSpan.Zero);
            var length = TimeSpan.FromTicks((long)points.Average(p => (double)p.Length.Ticks));
            _grid.Add((start, length));
            timeline.Add(TimelineRecorder.Overlay(points, runStartedAt, start, length));
        }
        Timeline = timeline;
    }

    /// <summary>The merged timeline, oldest first.</summary>
    public IReadOnlyList<TimelinePoint> Timeline { get; }

    /// <summary>True when every machine brought a timeline.</summary>
    public bool Complete => _byPart.All(p => p.Count > 0);

    public static TimelineAlignment Of(IReadOnlyList<RunSummary> parts, DateTimeOffset runStartedAt)
    {
        var width = parts.Where(p => p.Timeline.Count > 0).Select(p => Width(p.Timeline)).DefaultIfEmpty(TimeSpan.Zero).Max();
        var coarse = parts.Select(p => p.Timeline.Count == 0 ? [] : Coarsen(p.Timeline, width)).ToList();
        var origin = coarse.Where(c => c.Count > 0).Select(c => c[0].StartedAt).DefaultIfEmpty(runStartedAt).Min();
        var byPart = coarse.Select(points =>
        {
            var placed = new Dictionary<int, TimelinePoint>();
            if (points.Count > 0)
            {
                var offset = (int)Math.Round((points[0].StartedAt - origin) / width, MidpointRounding.AwayFromZero);
                for (var i = 0; i < points.Count; i++)
                {
                    placed[offset + i] = points[i];
                }
            }
            return placed;
        }).ToList();
        return new TimelineAlignment(byPart, runStartedAt);
    }

    /// <summary>
    /// The sum over the given parts of one value of their slices, in each grid slice any of them measured (a part with
    /// no slice there adds nothing: it had not started or had ended), with the time from the run's start to the end
    /// of that grid slice. Null when one of the parts has no timeline.
    /// </summary>
    public IReadOnlyList<(TimeSpan At, int Value)>? SumBySlice(IReadOnlyList<int> parts, Func<TimelinePoint, int> value)
    {
        if (parts.Any(p => _byPart[p].Count == 0))
        {
            return null;
        }
        var series = new List<(TimeSpan, int)>();
        for (var i = 0; i < _slices.Count; i++)
        {
            var present = parts.Where(p => _byPart[p].ContainsKey(_slices[i])).ToList();
            if (present.Count > 0)
            {
                series.Add((_grid[i].StartedAt + _grid[i].Length - _runStartedAt, present.Sum(p => value(_byPart[p][_slices[i]]))));
            }
        }
        return series;
    }

    /// <summary>
    /// A timeline's slice width: the median length of its slices but the last (a run's last slice is usually cut
    /// short), which is the recorder's resolution give or take the timer's jitter.
    /// </summary>
    private static TimeSpan Width(IReadOnlyList<TimelinePoint> timeline)
    {
        var lengths = timeline.Take(Math.Max(1, timeline.Count - 1)).Select(p => p.Length).Order().ToList();
        var median = lengths[lengths.Count / 2];
        return median > TimeSpan.Zero ? median : TimeSpan.FromTicks(1);
    }

    /// <summary>Neighbouring slices joined in runs from the first, to the given width (a power-of-two multiple, as the recorder halves).</summary>
    private static List<TimelinePoint> Coarsen(IReadOnlyList<TimelinePoint> timeline, TimeSpan width)
    {
        var factor = Math.Max(1, (int)Math.Round(width / Width(timeline)));
        var coarse = new List<TimelinePoint>((timeline.Count + factor - 1) / factor);
        for (var i = 0; i < timeline.Count; i += factor)
        {
            var point = timeline[i];
            for (var j = i + 1; j < Math.Min(i + factor, timeline.Count); j++)
            {
                point = TimelineRecorder.Join(point, timeline[j]);
            }
            coarse.Add(point);
        }
        return coarse;
    }
}
