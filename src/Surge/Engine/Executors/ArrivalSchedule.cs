using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>
/// When the n-th iteration of an open model is due, from the integral of the rate. Starts are spaced exactly by the
/// rate (no bursts, no drift from rounding), and a ramp between two rates places each start where the area under
/// the rate line reaches n.
/// </summary>
public sealed class ArrivalSchedule
{
    private readonly (double Seconds, double FromRate, double ToRate)[] _segments;

    private ArrivalSchedule((double Seconds, double FromRate, double ToRate)[] segments)
    {
        _segments = segments;
        PeakPerSecond = segments.Max(s => Math.Max(s.FromRate, s.ToRate));
    }

    /// <summary>The highest rate anywhere in the schedule, in arrivals per second.</summary>
    public double PeakPerSecond { get; }

    public static ArrivalSchedule Constant(ConstantArrivalRateExecutor plan)
    {
        var perSecond = plan.Rate / plan.TimeUnit.TotalSeconds;
        return new([(plan.Duration.TotalSeconds, perSecond, perSecond)]);
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
        return new([.. segments]);
    }

    /// <summary>
    /// Seconds from the scenario start at which iteration <paramref name="n"/> (0-based) is due, or null when the
    /// schedule ends first. Iteration 0 is due at 0 when the rate there is above zero.
    /// </summary>
    public double? StartOf(long n)
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
