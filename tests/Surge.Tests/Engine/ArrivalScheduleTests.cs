using Surge.Engine.Executors;
using Surge.Plans;

namespace Surge.Tests.Engine;

public sealed class ArrivalScheduleTests
{
    [Fact]
    public void Constant_rate_starts_are_evenly_spaced_and_end_with_the_duration()
    {
        var schedule = ArrivalSchedule.Constant(new ConstantArrivalRateExecutor(50, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 1, 1));

        Assert.Equal(0, schedule.StartOf(0));
        Assert.Equal(0.02, schedule.StartOf(1)!.Value, 9);
        Assert.Equal(1.98, schedule.StartOf(99)!.Value, 9);
        Assert.Null(schedule.StartOf(100));
    }

    [Fact]
    public void A_ramp_places_as_many_starts_as_the_area_under_the_rate_line()
    {
        // 0 -> 100/s over 10 s (area 500), then 100/s for 5 s (area 500), with the rate per minute unit scaled.
        var plan = new RampingArrivalRateExecutor(0, TimeSpan.FromMinutes(1), [new(TimeSpan.FromSeconds(10), 6000), new(TimeSpan.FromSeconds(5), 6000)], 1, 1);
        var schedule = ArrivalSchedule.Ramping(plan);

        var starts = Enumerable.Range(0, 2000).Select(n => schedule.StartOf(n)).TakeWhile(s => s is not null).Select(s => s!.Value).ToList();

        Assert.Equal(1000, starts.Count);
        Assert.Equal(500, starts.Count(s => s < 10));
        // During the ramp, the n-th start is where 5·t² = n.
        Assert.Equal(Math.Sqrt(125 / 5.0), starts[125], 9);
        Assert.True(starts.Zip(starts.Skip(1)).All(p => p.First < p.Second));
    }

    [Fact]
    public void Vu_ramp_adds_and_removes_one_vu_per_step_of_the_line()
    {
        var ramp = new VuRamp(0, [new(TimeSpan.FromSeconds(10), 10), new(TimeSpan.FromSeconds(10), 0)]);

        Assert.Equal(0, ramp.TargetAt(TimeSpan.FromSeconds(0.5)));
        Assert.Equal(3, ramp.TargetAt(TimeSpan.FromSeconds(3.5)));
        Assert.Equal(10, ramp.TargetAt(TimeSpan.FromSeconds(10)));
        Assert.Equal(8, ramp.TargetAt(TimeSpan.FromSeconds(12.5)));
        Assert.Equal(7, ramp.TargetAt(TimeSpan.FromSeconds(13)));
        Assert.Equal(0, ramp.TargetAt(TimeSpan.FromSeconds(20)));
    }
}
