using Surge.Plans;

namespace Surge.Engine.Executors;

/// <summary>
/// The VU target of ramping-vus at any moment: a straight line between stage targets. VU number k (1-based) is
/// active while the line is at or above k on the way up, and until it falls to k-1 on the way down, so a ramp
/// from 0 to 10 over 10s adds one VU per second and a ramp back removes one per second.
/// </summary>
internal sealed class VuRamp(int startVus, IReadOnlyList<Stage> stages)
{
    public TimeSpan TotalDuration { get; } = stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    public int TargetAt(TimeSpan elapsed)
    {
        double from = startVus;
        var stageStart = TimeSpan.Zero;
        foreach (var stage in stages)
        {
            var stageEnd = stageStart + stage.Duration;
            if (elapsed < stageEnd)
            {
                var progress = stage.Duration <= TimeSpan.Zero ? 1 : (elapsed - stageStart) / stage.Duration;
                var value = from + ((stage.Target - from) * progress);
                return (int)(stage.Target >= from ? Math.Floor(value + 1e-9) : Math.Ceiling(value - 1e-9));
            }
            from = stage.Target;
            stageStart = stageEnd;
        }
        return (int)Math.Round(from);
    }
}
