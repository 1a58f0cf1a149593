using Surge.Metrics;

namespace Surge.Results;

/// <summary>
/// An in-process view of the run (console progress, the live dashboard, test probes): fed each interval's snapshot on
/// the collector thread, then the final summary. Implementations must only copy what they keep and return; anything
/// that does I/O is an <see cref="IRunOutput"/>, which the run feeds through a queue of its own.
/// </summary>
public interface ILiveSink
{
    /// <summary>Called after each interval (every second by default) with totals so far and the interval's values. The snapshot's metrics are valid only during the call: copy what you keep. A sink that throws is switched off with a warning.</summary>
    void OnSnapshot(LiveSnapshot snapshot);

    /// <summary>Called once at the end with the final summary, thresholds and warnings included.</summary>
    void OnCompleted(RunSummary summary);
}

/// <summary>
/// An output with k6's lifecycle, run on its own task behind a bounded queue (10 intervals, the oldest dropped and counted when full), never on the collector thread:
/// started once, handed every interval in order, stopped with a final flush. A slow or failing backend delays only
/// its own queue. Methods are called one at a time.
/// </summary>
public interface IRunOutput
{
    /// <summary>How the user named it (`prometheus-rw`, `influxdb`...), for warnings.</summary>
    string Name { get; }

    /// <summary>Before the first interval, e.g. to create a database. Delivery problems go to <see cref="OutputContext.Deliveries"/>.</summary>
    Task StartAsync(OutputContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Sends one interval, in order, each at most once. Count what arrived with <see cref="OutputDeliveries.Sent"/>; an
    /// exception counts one batch as dropped, with its reason, and the next interval still comes.
    /// </summary>
    Task WriteAsync(OutputInterval interval, CancellationToken cancellationToken);

    /// <summary>Sends what is still buffered. Bounded by the host's flush timeout, after which the token is cancelled.</summary>
    Task StopAsync(RunSummary summary, CancellationToken cancellationToken);
}

/// <summary>
/// What an output learns when it starts: the wall-clock start of the run, where to count its deliveries, and the bound
/// on the final flush (for an output that waits at the end, e.g. the /metrics endpoint for its last scrape).
/// </summary>
/// <param name="StartedAt">The run's start on the wall clock (UTC); every interval's time is this plus its elapsed time.</param>
/// <param name="Deliveries">Where the output counts batches sent and dropped; the summary warns from it.</param>
/// <param name="FlushTimeout">How long <see cref="IRunOutput.StopAsync"/> may take, for all outputs together.</param>
public sealed record OutputContext(DateTimeOffset StartedAt, OutputDeliveries Deliveries, TimeSpan FlushTimeout)
{
    /// <summary>The bound on all outputs' final flush when the run sets none: 5 seconds.</summary>
    public static readonly TimeSpan DefaultFlushTimeout = TimeSpan.FromSeconds(5);
}

/// <summary>
/// One interval as outputs see it, copied once off the collector's snapshot and shared read-only by every output:
/// each series with data in the interval and its values in the interval alone (never mutate them), stamped with the
/// interval's end on the wall clock (the run's wall-clock start plus monotonic elapsed time, so clock jumps do not move
/// points).
/// </summary>
/// <param name="Time">The interval's end on the wall clock (UTC).</param>
/// <param name="Elapsed">The interval's end as time since the run started.</param>
/// <param name="Length">How long the interval lasted (about the snapshot interval, 1 s by default).</param>
/// <param name="Series">Each series with data in the interval, with the interval's values alone.</param>
/// <param name="Thresholds">Every threshold as judged on the running totals at the interval's end.</param>
public sealed record OutputInterval(
    DateTimeOffset Time, TimeSpan Elapsed, TimeSpan Length, IReadOnlyList<OutputSeries> Series, IReadOnlyList<ThresholdResult> Thresholds)
{
    /// <summary>Copies the series with data in the snapshot's last interval, stamped <paramref name="startedAt"/> plus the snapshot's elapsed time.</summary>
    public static OutputInterval From(LiveSnapshot snapshot, DateTimeOffset startedAt)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var metrics = snapshot.Metrics;
        var series = new List<OutputSeries>();
        foreach (var s in metrics.Series())
        {
            if (s.Interval is { IsEmpty: false } interval)
            {
                series.Add(new OutputSeries(s.Metric, s.Tags, interval.Copy()));
            }
        }
        return new OutputInterval(startedAt + metrics.Elapsed, metrics.Elapsed, metrics.IntervalLength, series, snapshot.Thresholds);
    }
}

/// <summary>One series' values over one interval, as outputs send it.</summary>
/// <param name="Metric">The metric, with its kind (how to send it) and unit.</param>
/// <param name="Tags">The series' tags, e.g. <c>scenario</c>, <c>name</c>, <c>status</c>.</param>
/// <param name="Values">The interval's values alone, not running totals: a counter's sum over the interval, a trend's histogram of it. Shared by every output; never mutate.</param>
public sealed record OutputSeries(MetricDefinition Metric, TagSet Tags, MetricAggregate Values);
