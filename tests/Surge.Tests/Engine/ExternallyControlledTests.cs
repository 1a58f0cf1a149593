using Surge.Engine;
using Surge.Plans;
using Surge.Results;
using Surge.Tests.Support;

namespace Surge.Tests.Engine;

public sealed class ExternallyControlledTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    /// <summary>The scenario's progress as the run reports it to live outputs: the engine's own count of active VUs.</summary>
    private sealed class ProgressProbe : ILiveSink
    {
        private volatile ScenarioProgress? _latest;

        public ScenarioProgress? Latest => _latest;

        public void OnSnapshot(LiveSnapshot snapshot) => _latest = snapshot.Scenarios[0];

        public void OnCompleted(RunSummary summary)
        {
        }

        public async Task WaitForActiveVusAsync(int expected)
        {
            using var timeout = new CancellationTokenSource(Patience);
            while (_latest?.ActiveVus != expected)
            {
                await Task.Delay(20, timeout.Token);
            }
        }
    }

    private static RunSettings Settings(ExternalControl control, ProgressProbe probe) => new()
    {
        Control = control,
        Sinks = [probe],
        SnapshotInterval = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task Setting_the_vus_brings_the_active_vus_to_exactly_that_number_and_every_request_is_counted()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new ExternallyControlledExecutor(1, 8, TimeSpan.Zero), server.Url("delay/5"));
        var control = new ExternalControl();
        var probe = new ProgressProbe();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a bound, should the test fail before it stops the run

        var run = TestRun.RunAsync(plan, Settings(control, probe), stop.Token);
        await probe.WaitForActiveVusAsync(1);
        Assert.True(control.TrySetVus("test", 5, out var error), error);
        await probe.WaitForActiveVusAsync(5);
        Assert.Equal(5, control.TargetVus("test"));
        Assert.True(control.TrySetVus("test", 2, out error), error);
        await probe.WaitForActiveVusAsync(2);
        await stop.CancelAsync();
        var summary = await run;

        Assert.Equal(RunOutcome.Interrupted, summary.Outcome);
        Assert.True(server.Requests > 0);
        Assert.Equal(server.Requests, summary.Find("http_reqs")!.Total.Sum);
        // Five VUs at the most were ever created: each change reuses the VUs already there.
        Assert.Equal(5, summary.Find("vus_max")!.Total.GaugeMax);
    }

    [Theory]
    [InlineData(9, "scenario 'test' allows at most 8 VUs (maxVUs), not 9")]
    [InlineData(-1, "VUs cannot be negative (-1)")]
    public async Task Vus_outside_zero_to_max_vus_are_refused_and_the_target_stays(int vus, string expected)
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new ExternallyControlledExecutor(2, 8, TimeSpan.Zero), server.Url("hello"));
        var control = new ExternalControl();
        var probe = new ProgressProbe();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30)); // a bound, should the test fail before it stops the run

        var run = TestRun.RunAsync(plan, Settings(control, probe), stop.Token);
        await probe.WaitForActiveVusAsync(2);
        var accepted = control.TrySetVus("test", vus, out var error);
        await stop.CancelAsync();
        await run;

        Assert.False(accepted);
        Assert.Equal(expected, error);
        Assert.Equal(2, control.TargetVus("test"));
    }

    [Fact]
    public async Task An_unknown_scenario_cannot_be_controlled()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new ConstantVusExecutor(1, TimeSpan.FromMilliseconds(100)), server.Url("hello"));
        var control = new ExternalControl();

        await TestRun.RunAsync(plan, new RunSettings { Control = control });

        Assert.Empty(control.Scenarios);
        Assert.False(control.TrySetVus("test", 1, out var error));
        Assert.Equal("no externally-controlled scenario is called 'test'", error);
    }

    [Fact]
    public async Task With_a_duration_the_scenario_ends_by_itself_and_then_refuses_changes()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = TestPlans.OneScenario(new ExternallyControlledExecutor(3, 3, TimeSpan.FromMilliseconds(300)), server.Url("hello"));
        var control = new ExternalControl();

        var summary = await TestRun.RunAsync(plan, new RunSettings { Control = control });

        Assert.Equal(RunOutcome.Completed, summary.Outcome);
        Assert.Equal(server.Requests, summary.Find("http_reqs")!.Total.Sum);
        Assert.Equal(3, summary.Find("vus_max")!.Total.GaugeMax);
        Assert.False(control.TrySetVus("test", 1, out var error));
        Assert.Equal("scenario 'test' has ended", error);
    }

    [Fact]
    public void Its_description_says_how_far_it_may_be_scaled()
    {
        Assert.Equal("2 looping VUs, changed at run time up to 10, until stopped (gracefulStop: 30s)",
            ExecutorDescriptions.Describe(new ExternallyControlledExecutor(2, 10, TimeSpan.Zero), TimeSpan.FromSeconds(30), TimeSpan.Zero));
        Assert.Equal("2 looping VUs, changed at run time up to 10, for 1m (gracefulStop: 30s)",
            ExecutorDescriptions.Describe(new ExternallyControlledExecutor(2, 10, TimeSpan.FromMinutes(1)), TimeSpan.FromSeconds(30), TimeSpan.Zero));
    }
}
