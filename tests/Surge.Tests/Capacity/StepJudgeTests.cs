using Surge.Capacity;
using Surge.Metrics;
using Surge.Results;
using Surge.Thresholds;

namespace Surge.Tests.Capacity;

public sealed class StepJudgeTests
{
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxStartDelay = TimeSpan.FromMilliseconds(10);

    private static RunSummary Summary(long completed, long dropped, double startDelayMs, bool thresholdPassed = true)
    {
        var delay = new MetricAggregate(MetricKind.Trend);
        var duration = new MetricAggregate(MetricKind.Trend);
        var failed = new MetricAggregate(MetricKind.Rate);
        for (var i = 0; i < completed; i++)
        {
            delay.AddTrend(startDelayMs);
            duration.AddTrend(20);
            failed.AddRate(false);
        }
        var key = MetricKey.Parse("http_req_duration");
        return new RunSummary
        {
            StartedAt = DateTimeOffset.UnixEpoch,
            Duration = TenSeconds,
            Metrics =
            [
                new MetricSummary(BuiltinMetrics.IterationStartDelay, delay, []),
                new MetricSummary(BuiltinMetrics.HttpReqDuration, duration, []),
                new MetricSummary(BuiltinMetrics.HttpReqFailed, failed, []),
            ],
            Thresholds = [new ThresholdResult(key, ThresholdExpression.Parse("p(95)<10"), 20, thresholdPassed, false)],
            Scenarios =
            [
                new ScenarioSummary { Name = "s", Executor = "constant-arrival-rate", Description = "", CompletedIterations = completed, DroppedIterations = dropped },
            ],
        };
    }

    [Fact]
    public void A_step_that_met_its_thresholds_on_schedule_passes_with_its_measured_figures()
    {
        var step = StepJudge.Judge(Summary(completed: 1000, dropped: 0, startDelayMs: 0.2), 100, TenSeconds, 0.2, MaxStartDelay);

        Assert.Equal(StepVerdict.Passed, step.Verdict);
        Assert.Equal(100, step.AchievedRate);
        Assert.Equal(20, step.P95);
        Assert.Equal(0, step.ErrorRate);
    }

    [Fact]
    public void A_failed_threshold_fails_the_step_naming_the_threshold_and_its_value()
    {
        var step = StepJudge.Judge(Summary(1000, 0, 0.2, thresholdPassed: false), 100, TenSeconds, 0.2, MaxStartDelay);

        Assert.Equal(StepVerdict.Failed, step.Verdict);
        Assert.Equal("http_req_duration: p(95)<10 failed, observed 20", Assert.Single(step.Reasons));
    }

    [Fact]
    public void Late_starts_make_a_failing_step_inconclusive_never_a_server_failure()
    {
        var step = StepJudge.Judge(Summary(1000, 0, startDelayMs: 40, thresholdPassed: false), 100, TenSeconds, 0.2, MaxStartDelay);

        Assert.Equal(StepVerdict.Inconclusive, step.Verdict);
        Assert.Contains("iteration_start_delay p(99) 40 ms > 10 ms", Assert.Single(step.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void A_generator_using_nine_tenths_of_its_cores_makes_the_step_inconclusive()
    {
        var step = StepJudge.Judge(Summary(1000, 0, 0.2), 100, TenSeconds, 0.95, MaxStartDelay);

        Assert.Equal(StepVerdict.Inconclusive, step.Verdict);
        Assert.StartsWith("generator CPU at 95%", Assert.Single(step.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Three_seconds_of_a_saturated_generator_make_the_step_inconclusive_even_when_its_average_stayed_below()
    {
        var cpuPerSecond = new[] { 0.3, 0.3, 0.95, 0.97, 0.99, 0.3, 0.3, 0.3, 0.3, 0.3 };
        var summary = Summary(1000, 0, 0.2) with
        {
            Timeline =
            [
                .. cpuPerSecond.Select((cpu, i) => new TimelinePoint
                {
                    Start = TimeSpan.FromSeconds(i),
                    Length = TimeSpan.FromSeconds(1),
                    EncodedDuration = new Histogram().ToBase64(),
                    Series = new Dictionary<string, SliceStats> { [BuiltinMetrics.GeneratorCpu.Name] = new(1, cpu, cpu, cpu) },
                }),
            ],
        };

        var step = StepJudge.Judge(summary, 100, TenSeconds, cpuPerSecond.Average(), MaxStartDelay);

        Assert.Equal(StepVerdict.Inconclusive, step.Verdict);
        Assert.Contains(step.Reasons, r => r.StartsWith("the generator was the bottleneck from 0:02 to 0:05", StringComparison.Ordinal));
    }

    [Fact]
    public void Arrivals_dropped_because_every_vu_waited_for_the_server_fail_the_step_even_without_a_threshold_on_them()
    {
        var step = StepJudge.Judge(Summary(completed: 900, dropped: 100, startDelayMs: 0.2), 100, TenSeconds, 0.2, MaxStartDelay);

        Assert.Equal(StepVerdict.Failed, step.Verdict);
        Assert.Contains("100 iterations dropped (10%)", Assert.Single(step.Reasons), StringComparison.Ordinal);
    }

    [Fact]
    public void Too_few_iterations_started_with_none_dropped_is_the_generator_falling_behind()
    {
        var step = StepJudge.Judge(Summary(completed: 500, dropped: 0, startDelayMs: 0.2), 100, TenSeconds, 0.2, MaxStartDelay);

        Assert.Equal(StepVerdict.Inconclusive, step.Verdict);
        Assert.Contains("only 50/s of 100/s completed", Assert.Single(step.Reasons), StringComparison.Ordinal);
    }
}
