using Surge.Results;

namespace Surge.Outputs;

/// <summary>
/// When an output that batches (prometheus-rw, influxdb, opentelemetry) sends: once its push interval of wall-clock
/// time has passed since the run's start or the last push, judged at each interval's end.
/// </summary>
internal sealed class PushSchedule(TimeSpan every)
{
    private DateTimeOffset _last;

    public void Start(DateTimeOffset startedAt) => _last = startedAt;

    /// <summary>True (and the push counted as done) when this interval's end is due.</summary>
    public bool IsDue(OutputInterval interval)
    {
        // Half an interval of slack: snapshots a hair under 1 s apart must not make a 1 s push interval skip one.
        if (interval.Time - _last + (interval.Length / 2) < every)
        {
            return false;
        }
        _last = interval.Time;
        return true;
    }
}
