using System.Globalization;
using Surge.Metrics;
using Surge.Plans;

namespace Surge.Cli;

/// <summary>k6's command-line shortcuts that reshape a plan: `-s/--stage DURATION:TARGET` and `--summary-trend-stats`.</summary>
public static class CommandLineOverrides
{
    // k6's default gracefulRampDown for ramping-vus.
    private static readonly TimeSpan GracefulRampDown = TimeSpan.FromSeconds(30);

    /// <summary>
    /// `--stage 30s:10 --stage 1m:10`: every scenario becomes ramping-vus over these stages from --vus (default 1) VUs,
    /// as in k6, all starting at once. Mixed with --duration or --iterations it is ambiguous, as k6 also says.
    /// </summary>
    public static TestPlan Stages(TestPlan plan, IReadOnlyList<string> stages, int? vus, bool durationOrIterations)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stages);
        if (stages.Count == 0)
        {
            return plan;
        }
        if (durationOrIterations)
        {
            throw new UsageException("--stage cannot be combined with --duration or --iterations: the stages say how long the test runs");
        }
        var executor = new RampingVusExecutor(vus ?? 1, [.. stages.Select(Stage)], GracefulRampDown);
        return plan with { Scenarios = [.. plan.Scenarios.Select(s => s with { Executor = executor, StartTime = TimeSpan.Zero })] };
    }

    private static Stage Stage(string text)
    {
        var colon = text.LastIndexOf(':');
        if (colon > 0 && Durations.HasNoUnit(text[..colon]))
        {
            throw new PlanException(Durations.NoUnit($"--stage '{text}'", text[..colon]));
        }
        if (colon > 0
            && Durations.TryParse(text[..colon], out var duration) && duration >= TimeSpan.Zero
            && int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var target))
        {
            return new Stage(duration, target);
        }
        throw new PlanException($"--stage '{text}' is not DURATION:TARGET; write e.g. --stage 30s:10 (ramp to 10 VUs over 30 s)");
    }

    /// <summary>`--summary-trend-stats avg,p(95),p(99.9)`: the trend columns of the summary, as in k6.</summary>
    public static TestPlan TrendStats(TestPlan plan, string? text)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (text is null)
        {
            return plan;
        }
        var stats = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (stats.Length == 0)
        {
            throw new PlanException("--summary-trend-stats needs at least one statistic, e.g. avg,med,p(95),p(99)");
        }
        foreach (var stat in stats)
        {
            if (!MetricAggregate.IsTrendStat(stat))
            {
                throw new PlanException($"--summary-trend-stats: '{stat}' is not a trend statistic; allowed: avg, min, med, max, count, p(N) with N from 0 to 100");
            }
        }
        var twice = stats.GroupBy(s => s, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        return twice is null ? plan with { SummaryTrendStats = stats }
            : throw new PlanException($"--summary-trend-stats: '{twice.Key}' is listed twice");
    }
}
