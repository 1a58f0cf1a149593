using System.Globalization;
using System.Text;
using Surge.Capacity;

namespace Surge.Reporting.Capacity;

/// <summary>The console view of a breakpoint search: one line per step as it ends, then the verdict.</summary>
public static class CapacityText
{
    internal static string StepLine(CapacityStep step) =>
        Invariant($"{Rate(step.Rate),9}/s for {Plans.Durations.Format(step.Duration),-5} achieved {Rate(step.AchievedRate),9}/s  p95 {Ms(step.P95),10}  errors {Share(step.ErrorRate),7}  cpu {Share(step.GeneratorCpu),6}  {Verdict(step.Verdict)}")
        + (step.Reasons.Count > 0 ? ": " + string.Join("; ", step.Reasons) : "");

    /// <summary>The whole search: one line per step, then the capacity, the first failing step, the latency knee and the conclusion.</summary>
    public static string Render(CapacityResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"\nfind-capacity, scenario {result.Scenario}: {result.Steps.Count} steps\n");
        foreach (var step in result.Steps)
        {
            text.Append("  ").Append(StepLine(step)).Append('\n');
        }
        text.Append('\n');
        text.Append(result.Capacity is { } capacity
            ? Invariant($"capacity: {Rate(capacity)} iterations/s met every threshold\n")
            : "capacity: no step met every threshold\n");
        if (result.FirstFailure is { } failure)
        {
            text.Append(Invariant($"first failing step: {Rate(failure.Rate)}/s: {string.Join("; ", failure.Reasons)}\n"));
        }
        text.Append(result.Knee is { } knee
            ? Invariant($"latency knee: {Rate(knee.Rate)}/s, where p95 reached {Ms(knee.P95)} (low-load p95 {Ms(result.LowLoadP95)}, knee at ×{CapacityResult.KneeFactor})\n")
            : Invariant($"latency knee: none (no judged step's p95 reached ×{CapacityResult.KneeFactor} the low-load p95 {Ms(result.LowLoadP95)})\n"));
        text.Append(result.Conclusion).Append('\n');
        return text.ToString();
    }

    internal static string Verdict(StepVerdict verdict) => verdict switch
    {
        StepVerdict.Passed => "pass",
        StepVerdict.Failed => "FAIL",
        _ => "inconclusive",
    };

    internal static string Rate(double rate) => rate.ToString("0.##", CultureInfo.InvariantCulture);

    internal static string Ms(double? milliseconds) => milliseconds is { } ms ? DisplayFormat.Duration(ms) : "-";

    internal static string Share(double? share) => share is { } s ? DisplayFormat.Percent(s) : "-";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
