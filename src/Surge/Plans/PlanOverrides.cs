namespace Surge.Plans;

/// <summary>
/// k6's command-line shortcuts: --vus, --duration and --iterations replace every scenario's executor.
/// --iterations gives shared-iterations (--duration, if any, as its maxDuration; else k6's 10m); otherwise
/// constant-vus. A missing --vus means 1 VU; a missing --duration keeps each scenario's own longest run
/// (<see cref="ExecutorPlan.MaxDuration"/>). Scenarios then all start at once, so that --duration bounds the run.
/// </summary>
public static class PlanOverrides
{
    /// <summary>
    /// The plan with every scenario's executor replaced as `--vus`, `--duration` and `--iterations` say (each null when
    /// not given), all starting at once; the plan itself when all three are null. A value out of range, or a
    /// replacement executor that breaks its rules, is a plan error naming the options.
    /// </summary>
    public static TestPlan Apply(TestPlan plan, int? vus, TimeSpan? duration, long? iterations)
    {
        if (vus is null && duration is null && iterations is null)
        {
            return plan;
        }
        if (vus is <= 0)
        {
            throw new PlanException($"--vus must be at least 1, not {vus}");
        }
        if (iterations is <= 0)
        {
            throw new PlanException($"--iterations must be at least 1, not {iterations}");
        }
        if (duration is { } d && d <= TimeSpan.Zero)
        {
            throw new PlanException("--duration must be longer than 0s");
        }
        return plan with
        {
            Scenarios = [.. plan.Scenarios.Select(s => s with { Executor = Override(s.Executor, vus ?? 1, duration, iterations), StartTime = TimeSpan.Zero })],
        };
    }

    /// <summary>`--profile NAME`: the named profile's executor runs every scenario, all starting at once.</summary>
    public static TestPlan UseProfile(TestPlan plan, string name)
    {
        if (!plan.Profiles.TryGetValue(name, out var executor))
        {
            throw new PlanException(plan.Profiles.Count == 0
                ? $"--profile '{name}': the test defines no profiles; add e.g. profiles: {{ {name}: {{ vus: 10, duration: 1m }} }}"
                : $"--profile '{name}' is not defined; the test has {string.Join(", ", plan.Profiles.Keys.Order(StringComparer.Ordinal))}");
        }
        return plan with { Scenarios = [.. plan.Scenarios.Select(s => s with { Executor = executor, StartTime = TimeSpan.Zero })] };
    }

    private static ExecutorPlan Override(ExecutorPlan executor, int vus, TimeSpan? duration, long? iterations)
    {
        var replacement = Replacement(executor, vus, duration, iterations);
        return replacement.Problem() is { } problem
            ? throw new PlanException($"--vus, --duration and --iterations make a {replacement.Kind} executor, and {problem.Message}")
            : replacement;
    }

    private static ExecutorPlan Replacement(ExecutorPlan executor, int vus, TimeSpan? duration, long? iterations) =>
        iterations is { } count
            ? new SharedIterationsExecutor(vus, count, duration ?? ExecutorPlan.DefaultMaxDuration)
            : new ConstantVusExecutor(vus, duration ?? (executor.MaxDuration > TimeSpan.Zero ? executor.MaxDuration
                : throw new PlanException($"--vus on a scenario that runs until stopped ({executor.Kind} without duration) needs --duration too")));
}
