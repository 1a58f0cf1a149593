using Surge.Metrics;

namespace Surge.Results;

/// <summary>
/// An in-process view of the run (console progress, the live dashboard, test probes): fed each interval's snapshot on
/// the collector thread, then the final summary. Implementations must only copy what they keep and return; anything
/// that does I/O is an <see cref="IRunOutput"/>, which the <see cref="OutputHost"/> runs behind a queue.
/// </summary>
public interface ILiveSink
{
    void OnSnapshot(LiveSnapshot snapshot);

    void OnCompleted(RunSummary summary);
}

/// <summary>
/// An output with k6's lifecycle, run by the <see cref="OutputHost"/> on its own task, never on the collector thread:
/// started once, handed every interval in order, stopped with a final flush. A slow or failing backend delays only
/// its own queue. Methods are called one at a time.
/// </summary>
public interface IRunOutput
{
    /// <summary>How the user named it (`prometheus-rw`, `influxdb`...), for warnings.</summary>
    string Name { get; }

    /// <summary>Before the first interval, e.g. to create a database. Delivery problems go to <see cref="OutputContext.Deliveries"/>.</summary>
    Task StartAsync(OutputContext context, CancellationToken cancellationToken);

    Task WriteAsync(OutputInterval interval, CancellationToken cancellationToken);

    /// <summary>Sends what is still buffered. Bounded by the host's flush timeout, after which the token is cancelled.</summary>
    Task StopAsync(RunSummary summary, CancellationToken cancellationToken);
}

/// <summary>
/// What an output learns when it starts: the wall-clock start of the run, where to count its deliveries, and the bound
/// on the final flush (for an output that waits at the end, e.g. the /metrics endpoint for its last scrape).
/// </summary>
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
public sealed record OutputInterval(
    DateTimeOffset Time, TimeSpan Elapsed, TimeSpan Length, IReadOnlyList<OutputSeries> Series, IReadOnlyList<ThresholdResult> Thresholds)
{
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

public sealed record OutputSeries(MetricDefinition Metric, TagSet Tags, MetricAggregate Values);
