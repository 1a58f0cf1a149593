namespace Surge.Plans.Segments;

/// <summary>
/// A plan cut down to one execution segment's share, with k6's arithmetic, so that the instances of one segment
/// sequence together run exactly the whole test: VUs, iterations and maxVUs are scaled (their shares sum to the whole);
/// shared-iterations' iterations and arrival-rate arrivals go only to segments that got VUs (k6's tuple redrawn from
/// the VUs); a ramp's VUs and the arrivals' start times are striped while running. The plan records which segment it
/// is (<see cref="TestPlan.Segment"/>).
/// </summary>
internal static class PlanSegments
{
    public static TestPlan Segmented(this TestPlan plan, ExecutionTuple tuple)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(tuple);
        if (tuple.IsWhole)
        {
            return plan;
        }
        if (!plan.Segment.IsWhole)
        {
            throw new ArgumentException($"the plan is already segment {plan.Segment}", nameof(plan));
        }
        return plan with
        {
            Scenarios = [.. plan.Scenarios.Select(s => s with { Executor = Share(s, tuple) })],
            Segment = tuple,
        };
    }

    private static ExecutorPlan Share(ScenarioPlan scenario, ExecutionTuple tuple) => scenario.Executor switch
    {
        ConstantVusExecutor p => p with { Vus = tuple.Scale(p.Vus), Segment = tuple },
        PerVuIterationsExecutor p => p with { Vus = tuple.Scale(p.Vus), Segment = tuple },
        SharedIterationsExecutor p => p with
        {
            Vus = tuple.Scale(p.Vus),
            Iterations = tuple.ForValue(p.Vus)?.Scale(p.Iterations) ?? 0,
            Segment = tuple,
        },
        RampingVusExecutor p => p with { Segment = tuple },
        ConstantArrivalRateExecutor p => p with
        {
            PreAllocatedVus = tuple.Scale(p.PreAllocatedVus),
            MaxVus = tuple.Scale(p.MaxVus),
            Arrivals = tuple.ForValue(p.PeakVus),
            Segment = tuple,
        },
        RampingArrivalRateExecutor p => p with
        {
            PreAllocatedVus = tuple.Scale(p.PreAllocatedVus),
            MaxVus = tuple.Scale(p.MaxVus),
            Arrivals = tuple.ForValue(p.PeakVus),
            Segment = tuple,
        },
        ExternallyControlledExecutor => throw new PlanException(
            $"scenario '{scenario.Name}' is externally-controlled: its VUs are set while it runs, on each instance, so no segment can take "
            + "a share of them; run it on one instance (without --execution-segment), or give it another executor", scenario.Location),
        var other => throw new PlanException($"scenario '{scenario.Name}': {other.Kind} cannot be split into execution segments", scenario.Location),
    };
}
