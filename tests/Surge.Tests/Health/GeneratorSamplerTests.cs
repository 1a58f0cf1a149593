using Surge.Metrics;

namespace Surge.Tests.Health;

public sealed class GeneratorSamplerTests
{
    private static Surge.Plans.TestPlan CollectingPlan() => Load.Plan()
        .Scenario("collect", s => s.ConstantVus(1, TimeSpan.FromSeconds(3)).Run(async _ =>
        {
            // A blocking full collection pauses every thread: the run must see that pause.
            GC.Collect(2, GCCollectionMode.Forced, blocking: true);
            await Task.Delay(300);
        }))
        .Build();

    [Fact]
    public async Task Every_interval_records_the_generators_cpu_memory_and_gc_pauses_which_the_timeline_follows()
    {
        var pausedBefore = GC.GetTotalPauseDuration();

        var summary = await CollectingPlan().RunAsync();

        var pausedDuring = (GC.GetTotalPauseDuration() - pausedBefore).TotalMilliseconds;
        var cpu = summary.Find(BuiltinMetrics.GeneratorCpu.Name)!.Total;
        var points = summary.Timeline;
        // One CPU sample per interval, and each timeline point holds its own.
        Assert.True(cpu.Histogram!.TotalCount >= 2, $"{cpu.Histogram.TotalCount} CPU samples");
        Assert.Equal(cpu.Histogram.TotalCount, points.Sum(p => p.Find(BuiltinMetrics.GeneratorCpu.Name)?.Count ?? 0));
        Assert.InRange(cpu.Stat("max", summary.Duration)!.Value, 0, 1);
        var paused = summary.Find(BuiltinMetrics.GcPause.Name)!.Total.Sum;
        Assert.True(paused > 0, "the forced collections paused the process");
        // The sampler's readings fall inside the run, so its deltas add up to no more than the whole (to rounding).
        Assert.True(paused <= pausedDuring + 1e-6, $"{paused} ms recorded, {pausedDuring} ms paused in all");
        Assert.True(summary.Find(BuiltinMetrics.Memory.Name)!.Total.GaugeMax > 1_000_000);
        Assert.True(summary.Find(BuiltinMetrics.GcHeap.Name)!.Total.GaugeMax > 0);
        Assert.False(summary.Find(BuiltinMetrics.ThreadPoolQueue.Name)!.Total.IsEmpty);
        Assert.Equal(OperatingSystem.IsLinux(), !summary.Find(BuiltinMetrics.MachineCpu.Name)!.Total.IsEmpty);
    }

    [Fact]
    public async Task A_run_told_not_to_watch_itself_records_none_of_the_generator_metrics()
    {
        var summary = await CollectingPlan().RunAsync(new RunSettings { WatchGenerator = false });

        Assert.All(BuiltinMetrics.Generator, metric => Assert.True(summary.Find(metric.Name)!.Total.IsEmpty, metric.Name));
        Assert.All(summary.Timeline, point => Assert.Empty(point.Series));
    }
}
