namespace Surge.Plans;

/// <summary>The range rules plan records check, each naming the option and the value that broke it.</summary>
internal static class PlanRules
{
    public static PlanProblem? AtLeast(string option, double value, double min) =>
        value >= min ? null : new(option, FormattableString.Invariant($"{option} must be at least {min}, got {value}"));

    public static PlanProblem? Positive(string option, double value) =>
        value > 0 && double.IsFinite(value) ? null : new(option, FormattableString.Invariant($"{option} must be more than 0, got {value}"));

    public static PlanProblem? Longer(string option, TimeSpan value) =>
        value > TimeSpan.Zero ? null : new(option, $"{option} must be longer than 0s, got {Durations.Format(value)}");

    public static PlanProblem? NotNegative(string option, TimeSpan value) =>
        value >= TimeSpan.Zero ? null : new(option, $"{option} must be 0s or longer, got {Durations.Format(value)}");
}
