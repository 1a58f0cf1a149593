using Surge.Metrics;
using Surge.Plans;
using Surge.Tests.Support;

namespace Surge.Tests.Metrics;

public sealed class VusGaugeTests
{
    [Fact]
    public async Task A_one_vu_run_shorter_than_a_second_shows_one_vu_and_passes_value_above_zero()
    {
        await using var server = await CountingServer.StartAsync();

        var summary = await Load.Plan()
            .Scenario("one", s => s.Iterations(vus: 1, iterations: 5).Get(server.Url("hello")))
            .Threshold("vus", "value>0")
            .Build()
            .RunAsync();

        var vus = summary.Find(BuiltinMetrics.Vus.Name)!.Total;
        Assert.Equal((1.0, 1.0, 1.0), (vus.Last, vus.GaugeMin, vus.GaugeMax));
        Assert.True(summary.ThresholdsPassed);
        Assert.Equal(1, summary.Find(BuiltinMetrics.VusMax.Name)!.Total.GaugeMax);
    }

    [Fact]
    public async Task A_constant_run_is_sampled_while_it_runs_and_never_reads_zero()
    {
        await using var server = await CountingServer.StartAsync();

        var summary = await Load.Plan()
            .Scenario("three", s => s.ConstantVus(3, TimeSpan.FromSeconds(1.5)).Get(server.Url("hello")))
            .Build()
            .RunAsync();

        var vus = summary.Find(BuiltinMetrics.Vus.Name)!.Total;
        Assert.True(vus.Samples >= 1);
        Assert.Equal((3.0, 3.0, 3.0), (vus.Last, vus.GaugeMin, vus.GaugeMax));
    }
}
