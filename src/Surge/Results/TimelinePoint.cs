using Surge.Metrics;

namespace Surge.Results;

/// <summary>
/// One slice of the run for charts and history exports: one second while the run is short, coarser once the
/// timeline has been downsampled to stay within its bound. Counts are for this slice only.
/// </summary>
public sealed record TimelinePoint
{
    /// <summary>Time from the start of the run to the start of this slice.</summary>
    public required TimeSpan Start { get; init; }

    /// <summary>How long the slice lasted: one snapshot interval (1 s by default), or a power of two of them once downsampled.</summary>
    public required TimeSpan Length { get; init; }

    /// <summary>
    /// The wall-clock time (UTC) at which this slice began: the run's start plus <see cref="Start"/>, so one clock reading
    /// anchors the whole run and a clock step during it cannot reorder slices. It aligns slices of different machines.
    /// </summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>The wall-clock time (UTC) at which the slice ended: <see cref="StartedAt"/> + <see cref="Length"/>.</summary>
    public DateTimeOffset EndedAt => StartedAt + Length;

    /// <summary>Active virtual users at the end of the slice.</summary>
    public int Vus { get; init; }

    /// <summary>Allocated virtual users (vus_max) at the end of the slice.</summary>
    public int VusMax { get; init; }

    /// <summary>http_reqs in the slice: requests that ended in it.</summary>
    public long Requests { get; init; }

    /// <summary>Requests counted as failed by http_req_failed.</summary>
    public long FailedRequests { get; init; }

    /// <summary>k6's iterations that ended in the slice.</summary>
    public long Iterations { get; init; }

    /// <summary>k6's dropped_iterations in the slice.</summary>
    public long DroppedIterations { get; init; }

    /// <summary>data_sent in the slice, in bytes.</summary>
    public long DataSent { get; init; }

    /// <summary>data_received in the slice, in bytes.</summary>
    public long DataReceived { get; init; }

    /// <summary>Responses per status code; status 0 counts requests that ended in a network error.</summary>
    public IReadOnlyDictionary<int, long> Statuses { get; init; } = new Dictionary<int, long>();

    /// <summary>
    /// http_req_duration in this slice, encoded with <see cref="Histogram.ToBase64"/> (values are fixed-point,
    /// <see cref="MetricAggregate.TrendScale"/> per millisecond). Kept encoded because a decoded histogram costs
    /// kilobytes and a long run keeps hundreds of points.
    /// </summary>
    public required string EncodedDuration { get; init; }

    /// <summary>Decodes <see cref="EncodedDuration"/>: a new histogram each call, so keep it rather than call twice.</summary>
    public Histogram Duration() => Histogram.FromBase64(EncodedDuration);

    /// <summary>
    /// Per-slice values of the metrics a run follows over time (the generator's surge_* metrics and the test's own), all
    /// tags merged, by metric name; a metric without data in the slice is absent.
    /// </summary>
    public IReadOnlyDictionary<string, SliceStats> Series { get; init; } = NoSeries;

    /// <summary>The one empty series map, so that points without series compare equal.</summary>
    public static readonly IReadOnlyDictionary<string, SliceStats> NoSeries = System.Collections.ObjectModel.ReadOnlyDictionary<string, SliceStats>.Empty;

    /// <summary>A followed metric's values in this slice, or null when it had none.</summary>
    public SliceStats? Find(string metric) => Series.TryGetValue(metric, out var stats) ? stats : null;

    /// <summary><see cref="Requests"/> per second of <see cref="Length"/>; 0 for an empty slice.</summary>
    public double RequestsPerSecond => Length > TimeSpan.Zero ? Requests / Length.TotalSeconds : 0;
}
