using Surge.Reporting.Findings;

namespace Surge.Reporting.Tests.Findings;

public sealed class LatencyKneesTests
{
    [Fact]
    public void Throughput_flattening_at_1000_per_second_while_p95_climbs_from_10_to_300ms_is_a_knee_at_10s()
    {
        var knee = LatencyKnees.Find(Timelines.KneeAt10());

        Assert.NotNull(knee);
        Assert.Equal(TimeSpan.FromSeconds(10), knee.At);
        Assert.Equal(1000, knee.PlateauRequestsPerSecond);
        Assert.Equal(10, knee.BaselineP95);
        Assert.Equal(300, knee.PeakP95);
    }

    [Fact]
    public void A_flat_healthy_run_has_no_knee()
    {
        Assert.Null(LatencyKnees.Find(Timelines.Flat()));
    }

    [Fact]
    public void Latency_that_rises_while_throughput_keeps_growing_is_load_not_a_knee()
    {
        var growing = Enumerable.Range(0, 20).Select(s => Timelines.Point(s, 100 * (s + 1), 5, 10 + 20 * s)).ToList();

        Assert.Null(LatencyKnees.Find(growing));
    }

    [Fact]
    public void A_slow_slice_early_on_does_not_hide_the_knee_that_follows()
    {
        var timeline = Timelines.KneeAt10();
        timeline[4] = Timelines.Point(4, 500, 5, 400, vus: 50);

        Assert.Equal(TimeSpan.FromSeconds(10), LatencyKnees.Find(timeline)?.At);
    }

    [Fact]
    public void One_slow_slice_is_not_a_knee()
    {
        var timeline = Timelines.Flat();
        timeline[12] = Timelines.Point(12, 500, 5, 400);

        Assert.Null(LatencyKnees.Find(timeline));
    }
}
