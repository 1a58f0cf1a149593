using Surge.Engine.Executors;
using Surge.Plans;
using Surge.Plans.Segments;

namespace Surge.Tests.Engine;

/// <summary>Executors cut into execution segments: over a sequence's segments, the parts are exactly the whole.</summary>
public sealed class SegmentedExecutorTests
{
    private static readonly string[] Sequences = ["0,1/3,2/3,1", "0,1/2,1", "0,1/10,1/4,1/2,1", "0,0.3,0.5,0.6,0.7,0.8,0.9,1"];

    public static TheoryData<string> SequenceData => [.. Sequences];

    [Theory]
    [MemberData(nameof(SequenceData))]
    public void Constant_arrival_rate_segments_start_exactly_the_whole_schedule_between_them(string sequence)
    {
        var whole = new ConstantArrivalRateExecutor(300, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), 10, 20);

        var (union, total) = UnionOfStarts(whole, sequence);

        Assert.Equal(3000, total);
        Assert.Equal(Starts(ArrivalSchedule.Constant(whole)), union);
    }

    [Theory]
    [MemberData(nameof(SequenceData))]
    public void Ramping_arrival_rate_segments_start_exactly_the_whole_schedule_between_them(string sequence)
    {
        var whole = new RampingArrivalRateExecutor(10, TimeSpan.FromSeconds(1),
            [new Stage(TimeSpan.FromSeconds(3), 200), new Stage(TimeSpan.FromSeconds(2), 200), new Stage(TimeSpan.FromSeconds(3), 0)], 10, 20);

        var (union, _) = UnionOfStarts(whole, sequence);

        Assert.Equal(Starts(ArrivalSchedule.Ramping(whole)), union);
    }

    [Fact]
    public void Arrivals_go_only_to_segments_with_vus_and_the_others_take_them_all()
    {
        // maxVUs 2 over thirds: k6 gives the last third no VUs, so it gets no arrivals and the first two share them.
        var whole = new ConstantArrivalRateExecutor(30, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 2, 2);
        var parts = Segment(whole, "0,1/3,2/3,1").Cast<ConstantArrivalRateExecutor>().ToArray();

        Assert.Equal([1, 1, 0], parts.Select(p => p.MaxVus));
        Assert.Equal([15, 15, 0], parts.Select(p => Starts(ArrivalSchedule.Constant(p)).Count));
    }

    [Theory]
    [MemberData(nameof(SequenceData))]
    public void Vus_iterations_and_max_vus_shares_sum_to_the_whole(string sequence)
    {
        Assert.Equal(7, Segment(new ConstantVusExecutor(7, TimeSpan.FromSeconds(1)), sequence).Cast<ConstantVusExecutor>().Sum(p => p.Vus));
        var shared = Segment(new SharedIterationsExecutor(5, 999, TimeSpan.FromMinutes(1)), sequence).Cast<SharedIterationsExecutor>().ToArray();
        Assert.Equal(5, shared.Sum(p => p.Vus));
        Assert.Equal(999, shared.Sum(p => p.Iterations));
        Assert.All(shared, p => Assert.True(p.Vus > 0 || p.Iterations == 0, "iterations went to a segment without VUs"));
        var perVu = Segment(new PerVuIterationsExecutor(5, 7, TimeSpan.FromMinutes(1)), sequence).Cast<PerVuIterationsExecutor>().ToArray();
        Assert.Equal(35, perVu.Sum(p => p.Vus * p.Iterations));
        var arrivals = Segment(new ConstantArrivalRateExecutor(10, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 11, 23), sequence)
            .Cast<ConstantArrivalRateExecutor>().ToArray();
        Assert.Equal(11, arrivals.Sum(p => p.PreAllocatedVus));
        Assert.Equal(23, arrivals.Sum(p => p.MaxVus));
    }

    [Theory]
    [MemberData(nameof(SequenceData))]
    public void Ramping_vus_segments_run_the_whole_ramps_vus_between_them_at_every_moment(string sequence)
    {
        var whole = new RampingVusExecutor(3, [new Stage(TimeSpan.FromSeconds(10), 17), new Stage(TimeSpan.FromSeconds(5), 2)], TimeSpan.Zero);
        var ramp = new VuRamp(whole.StartVus, whole.Stages);
        var parts = Segment(whole, sequence).Cast<RampingVusExecutor>().ToArray();

        for (var ms = 0; ms < 15_000; ms += 37)
        {
            var target = ramp.TargetAt(TimeSpan.FromMilliseconds(ms));
            Assert.Equal(target, parts.Sum(p => p.Segment.Scale(target)));
        }
        Assert.Equal(17, parts.Sum(p => p.PeakVus));
    }

    [Fact]
    public void An_externally_controlled_scenario_cannot_be_segmented()
    {
        var plan = new TestPlan { Scenarios = [new ScenarioPlan { Name = "live", Executor = new ExternallyControlledExecutor(1, 5, TimeSpan.Zero), Steps = [] }] };

        var error = Assert.Throws<PlanException>(() => plan.Segmented(ExecutionTuple.Parse("0:1/2", null)));

        Assert.Contains("externally-controlled", error.Message, StringComparison.Ordinal);
    }

    private static ExecutorPlan[] Segment(ExecutorPlan whole, string sequence)
    {
        var points = ExecutionSegmentSequence.ParsePoints(sequence);
        return
        [
            .. points.Select(segment =>
            {
                var plan = new TestPlan { Scenarios = [new ScenarioPlan { Name = "s", Executor = whole, Steps = [] }] };
                return plan.Segmented(ExecutionTuple.Parse(segment.ToString(), sequence)).Scenarios[0].Executor;
            }),
        ];
    }

    private static (List<double> Union, int Total) UnionOfStarts(ExecutorPlan whole, string sequence)
    {
        var parts = Segment(whole, sequence);
        var union = parts.SelectMany(p => Starts(p switch
        {
            ConstantArrivalRateExecutor c => ArrivalSchedule.Constant(c),
            RampingArrivalRateExecutor r => ArrivalSchedule.Ramping(r),
            _ => throw new ArgumentException(p.Kind),
        })).ToList();
        var total = union.Count;
        union.Sort();
        return (union, total);
    }

    private static List<double> Starts(ArrivalSchedule schedule)
    {
        var starts = new List<double>();
        for (long n = 0; schedule.StartOf(n) is { } start; n++)
        {
            starts.Add(start);
        }
        return starts;
    }
}
