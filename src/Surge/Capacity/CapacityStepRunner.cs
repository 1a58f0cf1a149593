using System.Diagnostics;
using Surge.Plans;

namespace Surge.Capacity;

/// <summary>Runs the real steps of a search: each step is its own short run of the test, judged by <see cref="StepJudge"/>.</summary>
internal sealed class CapacityStepRunner(TestPlan plan, ScenarioPlan scenario, CapacityOptions options, RunSettings settings)
{
    public async Task<CapacityStep> RunAsync(double rate, CancellationToken stop)
    {
        var (duration, note) = StepDurationRule.For(plan, rate, options);
        return await RunAsync(rate, duration, note, stop).ConfigureAwait(false);
    }

    /// <summary>The unjudged run at the start rate before the search; its step is returned for display only.</summary>
    public Task<CapacityStep> WarmUpAsync(CancellationToken stop) => RunAsync(options.StartRate, options.Warmup, "warm-up, not judged", stop);

    private async Task<CapacityStep> RunAsync(double rate, TimeSpan duration, string? note, CancellationToken stop)
    {
        var stepPlan = CapacityPlan.ForStep(plan, scenario, rate, duration);
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        var summary = await TestRun.RunAsync(stepPlan, settings, stop).ConfigureAwait(false);
        wall.Stop();
        process.Refresh();
        var cpu = StepJudge.GeneratorCpu(summary)
            ?? Health.CpuReadings.Share(cpuBefore, process.TotalProcessorTime, wall.Elapsed, Environment.ProcessorCount);
        return StepJudge.Judge(summary, rate, duration, cpu, options.MaxStartDelay, note);
    }
}
