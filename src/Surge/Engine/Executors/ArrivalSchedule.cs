using Surge.Plans;
using Surge.Plans.Segments;

namespace Surge.Engine.Executors;

/// <summary>
/// When the n-th iteration of an open model is due, from the integral of the rate. Starts are spaced exactly by the
/// rate (no bursts, no drift from rounding), and a ramp between two rates places each start where the area under
/// the rate line reaches n. In an execution segment the schedule is the whole test's and the segment starts only its
/// own, striped, arrivals of it (<see cref="ArrivalRateExecutor.Arrivals"/>): the segments' start times together are
/// exactly the whole schedule's.
/// </summary>
internal sealed class ArrivalSchedule
{
    private readonly (double Seconds, double FromRate, double ToRate)[] _segments;
    private readonly ExecutionTuple? _arrivals;

    private ArrivalSchedule((double Seconds, double FromRate, double ToRate)[] segments, ExecutionTuple? arrivals)
    {
        _segments = segments;
        _arrivals = arrivals;
        PeakPerSecond = segments.Max(s => Math.Max(s.FromRate, s.ToRate));
    }

    /// <summary>The highest rate anywhere in the schedule, in arrivals per second.</summary>
    public double PeakPerSecond { get; }

    public static ArrivalSchedule Constant(ConstantArrivalRateExecutor plan)
    {
        var perSecond = plan.Rate / plan.TimeUnit.TotalSeconds;
        return new([(plan.Duration.TotalSeconds, perSecond, perSecond)], plan.Arrivals);
    }

    public static ArrivalSchedule Ramping(RampingArrivalRateExecutor plan)
    {
        var unit = plan.TimeUnit.TotalSeconds;
        var segments = new List<(double, double, double)>();
        var from = plan.StartRate / unit;
        foreach (var stage in plan.Stages)
        {
            var to = stage.Target / unit;
            segments.Add((stage.Duration.TotalSeconds, from, to));
            from = to;
        }
        return new([.. segments], plan.Arrivals);
    }

    /// <summary>
    /// Seconds from the scenario start at which this segment's iteration <paramref name="n"/> (0-based) is due, or
    /// null when the schedule ends first. Iteration 0 of the whole schedule is due at 0 when the rate there is above zero.
    /// </summary>
    public double? StartOf(long n) => _arrivals is null ? null : WholeStartOf(_arrivals.GlobalIndex(n));

    private double? WholeStartOf(long n)
    {
        var remaining = (double)n;
        var offset = 0.0;
        foreach (var (seconds, a, b) in _segments)
        {
            // Iterations due in this segment: area under the line from a to b over `seconds`.
            var area = (a + b) / 2 * seconds;
            if (remaining < area || (remaining == 0 && a > 0))
            {
                var t = SolveTime(remaining, a, (b - a) / seconds);
                if (t is { } found && found < seconds)
                {
                    return offset + found;
                }
            }
            remaining -= area;
            offset += seconds;
        }
        return null;
    }

    /// <summary>The smallest t ≥ 0 with a·t + slope·t²/2 = x.</summary>
    private static double? SolveTime(double x, double a, double slope)
    {
        if (Math.Abs(slope) < 1e-12)
        {
            return a <= 0 ? null : x / a;
        }
        var discriminant = (a * a) + (2 * slope * x);
        return discriminant < 0 ? null : (-a + Math.Sqrt(discriminant)) / slope;
    }
}
