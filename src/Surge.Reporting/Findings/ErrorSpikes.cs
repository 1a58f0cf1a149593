using Surge.Results;

namespace Surge.Reporting.Findings;

/// <summary>
/// A stretch of the run where 429/503 responses or failures rose above the run's calm level. Recovery is
/// measured from the first elevated slice to the first slice back at the calm level; a spike still elevated
/// when the run ended has no recovery.
/// </summary>
internal sealed record ErrorSpike(TimeSpan Start, TimeSpan? RecoveredAt)
{
    /// <summary>The error share (429+503 or failed, whichever is higher) the run sat at outside spikes.</summary>
    public double BaselineShare { get; init; }

    public double PeakShare { get; init; }

    public long TooManyRequests { get; init; }

    public long ServiceUnavailable { get; init; }

    public long FailedRequests { get; init; }

    public TimeSpan? RecoveryTime => RecoveredAt - Start;
}

internal static class ErrorSpikes
{
    /// <summary>
    /// How far above the calm level a slice's error share must be to count as a spike: five percentage points,
    /// so that a stray failure in a slow slice is not a spike but one request in twenty being turned away is.
    /// </summary>
    public const double Rise = 0.05;

    /// <summary>Every spike of the timeline, oldest first.</summary>
    public static IReadOnlyList<ErrorSpike> Find(IReadOnlyList<TimelinePoint> timeline)
    {
        // A slice without requests says nothing, not even about recovery: an open spike stays open across it.
        var slices = timeline.Where(p => p.Requests > 0).ToList();
        // The lower quartile, not the median: a run that fails for half its length still has a calm level.
        var baseline = TimelineSample.Quantile(slices.Select(ErrorShare), 0.25);
        var spikes = new List<ErrorSpike>();
        ErrorSpike? open = null;
        foreach (var point in slices)
        {
            var share = ErrorShare(point);
            if (share > baseline + Rise)
            {
                open = (open ?? new ErrorSpike(point.Start, null) { BaselineShare = baseline }) with
                {
                    PeakShare = Math.Max(open?.PeakShare ?? 0, share),
                    TooManyRequests = (open?.TooManyRequests ?? 0) + point.Statuses.GetValueOrDefault(429),
                    ServiceUnavailable = (open?.ServiceUnavailable ?? 0) + point.Statuses.GetValueOrDefault(503),
                    FailedRequests = (open?.FailedRequests ?? 0) + point.FailedRequests,
                };
            }
            else if (open is not null)
            {
                spikes.Add(open with { RecoveredAt = point.Start });
                open = null;
            }
        }
        if (open is not null)
        {
            spikes.Add(open);
        }
        return spikes;
    }

    /// <summary>The worse of a slice's 429/503 share and its failed share.</summary>
    private static double ErrorShare(TimelinePoint point) => Math.Max(
        (double)(point.Statuses.GetValueOrDefault(429) + point.Statuses.GetValueOrDefault(503)) / point.Requests,
        (double)point.FailedRequests / point.Requests);
}
