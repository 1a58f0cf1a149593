using Surge.Health;

namespace Surge.Tests.Health;

public sealed class CpuReadingsTests
{
    [Fact]
    public void Half_a_second_of_cpu_in_one_second_on_one_core_is_half_of_what_it_may_use()
    {
        var share = CpuReadings.Share(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10.5), TimeSpan.FromSeconds(1), cores: 1);

        Assert.Equal(0.5, share, 12);
    }

    [Fact]
    public void Three_cpu_seconds_in_two_seconds_on_four_cores_is_three_eighths()
    {
        var share = CpuReadings.Share(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(2), cores: 4);

        Assert.Equal(0.375, share, 12);
    }

    [Fact]
    public void Readings_taken_a_moment_apart_never_give_more_than_every_core_or_less_than_none()
    {
        Assert.Equal(1, CpuReadings.Share(TimeSpan.Zero, TimeSpan.FromSeconds(1.02), TimeSpan.FromSeconds(1), cores: 1));
        Assert.Equal(0, CpuReadings.Share(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), cores: 1));
        Assert.Equal(0, CpuReadings.Share(TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.Zero, cores: 2));
    }

    [Fact]
    public void The_proc_stat_cpu_line_counts_idle_and_iowait_as_idle_and_leaves_guest_time_out()
    {
        // user nice system idle iowait irq softirq steal guest guest_nice
        var ticks = CpuReadings.ParseProcStat("cpu  100 20 30 800 50 5 5 10 40 0");

        Assert.Equal(new MachineTicks(Busy: 170, Total: 1020), ticks);
    }

    [Fact]
    public void The_machine_share_is_busy_ticks_over_all_ticks_between_two_readings()
    {
        var before = CpuReadings.ParseProcStat("cpu  100 0 100 800 0 0 0 0 0 0")!.Value;
        var after = CpuReadings.ParseProcStat("cpu  250 0 200 850 0 0 0 0 0 0")!.Value;

        // 250 busy ticks of 300 passed.
        Assert.Equal(250.0 / 300, CpuReadings.MachineShare(before, after), 12);
        Assert.Equal(0, CpuReadings.MachineShare(after, after));
    }

    [Theory]
    [InlineData("cpu0 1 2 3 4 5 6 7 8")]
    [InlineData("intr 1 2 3 4 5")]
    [InlineData("cpu  1 2 x 4 5")]
    [InlineData("cpu  1 2")]
    public void A_line_that_is_not_the_aggregate_cpu_line_reads_as_nothing(string line)
    {
        Assert.Null(CpuReadings.ParseProcStat(line));
    }
}
