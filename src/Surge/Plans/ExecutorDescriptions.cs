using System.Globalization;

namespace Surge.Plans;

/// <summary>k6-style one-line descriptions of executors for the summary and progress header.</summary>
internal static class ExecutorDescriptions
{
    /// <remarks>
    /// A segmented executor's counts are its share; rates and ramps are the whole test's, so the segment is named
    /// after them ("segment 1/3:2/3 of 0,1/3,2/3,1").
    /// </remarks>
    public static string Describe(ExecutorPlan executor, TimeSpan gracefulStop, TimeSpan startTime)
    {
        ArgumentNullException.ThrowIfNull(executor);
        return executor.Segment.IsWhole ? Whole(executor, gracefulStop, startTime) : $"{Whole(executor, gracefulStop, startTime)}, segment {executor.Segment}";
    }

    private static string Whole(ExecutorPlan executor, TimeSpan gracefulStop, TimeSpan startTime)
    {
        var stop = (startTime > TimeSpan.Zero ? $"startTime: {Format(startTime)}, " : "") + $"gracefulStop: {Format(gracefulStop)}";
        return executor switch
        {
            ConstantVusExecutor p => $"{p.Vus} looping VUs for {Format(p.Duration)} ({stop})",
            RampingVusExecutor p => $"Up to {p.PeakVus} looping VUs for {Format(p.MaxDuration)} over {p.Stages.Count} stages (gracefulRampDown: {Format(p.GracefulRampDown)}, {stop})",
            ConstantArrivalRateExecutor p => $"{Rate(p.Rate, p.TimeUnit)} for {Format(p.Duration)} (maxVUs: {p.PreAllocatedVus}-{p.PeakVus}, {stop})",
            RampingArrivalRateExecutor p => $"Up to {Rate(p.Stages.Select(s => s.Target).Append(p.StartRate).Max(), p.TimeUnit)} over {p.Stages.Count} stages for {Format(p.MaxDuration)} (maxVUs: {p.PreAllocatedVus}-{p.PeakVus}, {stop})",
            SharedIterationsExecutor p => $"{p.Iterations} iterations shared among {p.Vus} VUs (maxDuration: {Format(p.MaxDurationLimit)}, {stop})",
            PerVuIterationsExecutor p => $"{p.Iterations} iterations for each of {p.Vus} VUs (maxDuration: {Format(p.MaxDurationLimit)}, {stop})",
            ExternallyControlledExecutor p => $"{p.Vus} looping VUs, changed at run time up to {p.MaxVus}, {(p.RunsUntilStopped ? "until stopped" : "for " + Format(p.Duration))} ({stop})",
            _ => executor.Kind,
        };
    }

    private static string Rate(double rate, TimeSpan unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{rate:0.00} iterations/{Format(unit)}").Replace("/1s", "/s", StringComparison.Ordinal);

    private static string Format(TimeSpan span) => Durations.Format(span);
}
