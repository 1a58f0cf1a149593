using Surge.Reporting.Findings;

namespace Surge.Reporting.Tests.Findings;

public sealed class ErrorSpikesTests
{
    [Fact]
    public void A_burst_of_429s_from_10s_to_14s_is_one_spike_that_recovers_after_4s()
    {
        var spikes = ErrorSpikes.Find(Timelines.SpikeFrom10To14());

        var spike = Assert.Single(spikes);
        Assert.Equal(TimeSpan.FromSeconds(10), spike.Start);
        Assert.Equal(TimeSpan.FromSeconds(14), spike.RecoveredAt);
        Assert.Equal(TimeSpan.FromSeconds(4), spike.RecoveryTime);
        Assert.Equal(80, spike.TooManyRequests);
        Assert.Equal(0, spike.ServiceUnavailable);
        Assert.Equal(0.2, spike.PeakShare);
        Assert.Equal(0, spike.BaselineShare);
    }

    [Fact]
    public void A_spike_still_elevated_at_the_end_has_no_recovery_time()
    {
        var timeline = Timelines.SpikeFrom10To14().Take(12).ToList();

        var spike = Assert.Single(ErrorSpikes.Find(timeline));

        Assert.Equal(TimeSpan.FromSeconds(10), spike.Start);
        Assert.Null(spike.RecoveryTime);
    }

    [Fact]
    public void Failures_without_429_or_503_count_too_and_an_empty_slice_does_not_end_a_spike()
    {
        var timeline = Timelines.Flat();
        timeline[5] = Timelines.Point(5, 500, 5, 12, failed: 100);
        timeline[6] = Timelines.Point(6, 0, 0);
        timeline[7] = Timelines.Point(7, 500, 5, 12, failed: 50);

        var spike = Assert.Single(ErrorSpikes.Find(timeline));

        Assert.Equal(TimeSpan.FromSeconds(5), spike.Start);
        Assert.Equal(TimeSpan.FromSeconds(3), spike.RecoveryTime);
        Assert.Equal(150, spike.FailedRequests);
    }

    [Fact]
    public void A_steady_trickle_of_errors_is_the_baseline_not_a_spike()
    {
        // 3% of requests are throttled all the time, and 6% for two slices: only a rise above the 3% counts.
        var timeline = Enumerable.Range(0, 20).Select(s => Timelines.Point(s, 100, 5, 12, failed: s is 8 or 9 ? 6 : 3)).ToList();
        var steady = Enumerable.Range(0, 20).Select(s => Timelines.Point(s, 100, 5, 12, failed: 3)).ToList();

        Assert.Empty(ErrorSpikes.Find(timeline));
        Assert.Empty(ErrorSpikes.Find(steady));
        Assert.Empty(ErrorSpikes.Find([]));
    }
}
