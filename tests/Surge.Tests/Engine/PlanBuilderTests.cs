using System.Runtime.CompilerServices;
using Surge.Plans;
using Surge.Tests.Support;

namespace Surge.Tests.Engine;

public sealed class PlanBuilderTests
{
    [Fact]
    public async Task A_plan_built_in_csharp_runs_inside_a_unit_test_and_its_thresholds_decide()
    {
        await using var server = await CountingServer.StartAsync();

        var result = await Load.Plan()
            .Scenario("browse", s => s.Iterations(vus: 4, iterations: 100).Get(server.Url("hello"), "hello"))
            .Threshold("http_req_failed", "rate<0.01")
            .Threshold("http_reqs{name:hello}", "count==100")
            .Build()
            .RunAsync();

        Assert.True(result.ThresholdsPassed);
        Assert.Equal(100, server.Requests);
    }

    [Fact]
    public async Task A_failing_threshold_is_reported_as_such()
    {
        await using var server = await CountingServer.StartAsync();

        var result = await Load.Plan()
            .Scenario("errors", s => s.Iterations(2, 10).Get(server.Url("status/500")))
            .Threshold("http_req_failed", "rate<0.01")
            .Build()
            .RunAsync();

        Assert.False(result.ThresholdsPassed);
        Assert.Equal(1.0, Assert.Single(result.Thresholds).Observed);
    }

    [Fact]
    public void A_plan_without_scenarios_or_steps_is_refused()
    {
        Assert.Throws<PlanException>(() => Load.Plan().Build());
        Assert.Throws<PlanException>(() => Load.Plan().Scenario("empty", s => s.ConstantVus(1, TimeSpan.FromSeconds(1))).Build());
    }

    [Fact]
    public void Zero_vus_in_csharp_is_refused_at_the_callers_line_with_the_same_words_as_yaml()
    {
        var (error, line) = Refused(s => s.ConstantVus(0, TimeSpan.FromSeconds(5)).Get("http://127.0.0.1:1/"));
        Assert.Equal("vus must be at least 1, got 0", error.Reason);
        Assert.Equal(new SourceLocation(ThisFile(), line, 1), error.Location);
    }

    [Fact]
    public void A_negative_duration_in_csharp_is_refused_at_the_callers_line()
    {
        var (error, line) = Refused(s => s.ArrivalRate(10, TimeSpan.FromSeconds(-5), 1, 1).Get("http://127.0.0.1:1/"));
        Assert.Equal("duration must be longer than 0s, got -5s", error.Reason);
        Assert.Equal(new SourceLocation(ThisFile(), line, 1), error.Location);
    }

    [Fact]
    public void Fewer_max_vus_than_preallocated_in_csharp_is_refused_at_the_callers_line()
    {
        var (error, line) = Refused(s => s.ArrivalRate(10, TimeSpan.FromSeconds(5), preAllocatedVus: 5, maxVus: 2).Get("http://127.0.0.1:1/"));
        Assert.Equal("maxVUs (2) must be at least preAllocatedVUs (5)", error.Reason);
        Assert.Equal(new SourceLocation(ThisFile(), line, 1), error.Location);
    }

    [Fact]
    public void Ramping_stages_that_never_start_a_vu_are_refused_at_the_scenario()
    {
        var line = Line(); var error = Assert.Throws<PlanException>(() => Load.Plan().Scenario("s", s => s.RampingVus(0, new Stage(TimeSpan.FromSeconds(5), 0)).Get("http://127.0.0.1:1/")));
        Assert.Equal("no VU would ever run: startVUs and every stage target are 0", error.Reason);
        Assert.Equal(new SourceLocation(ThisFile(), line, 1), error.Location);
    }

    [Fact]
    public void An_executor_record_given_directly_is_checked_by_its_own_rules()
    {
        var (error, line) = Refused(s => s.Executor(new ExternallyControlledExecutor(Vus: 5, MaxVus: 2, TimeSpan.Zero)).Get("http://127.0.0.1:1/"));
        Assert.Equal("maxVUs (2) must be at least vus (5)", error.Reason);
        Assert.Equal(new SourceLocation(ThisFile(), line, 1), error.Location);
    }

    [Fact]
    public void A_negative_graceful_stop_or_think_time_in_csharp_is_refused_at_the_callers_line()
    {
        var (stop, stopLine) = Refused(s => s.GracefulStop(TimeSpan.FromSeconds(-1)).Get("http://127.0.0.1:1/"));
        Assert.Equal("scenario 's': gracefulStop must be 0s or longer, got -1s", stop.Reason);
        Assert.Equal(new SourceLocation(ThisFile(), stopLine, 1), stop.Location);
        var (think, thinkLine) = Refused(s => s.Get("http://127.0.0.1:1/").Think(TimeSpan.FromMilliseconds(-500)));
        Assert.Equal("think must be 0s or longer, got -500ms", think.Reason);
        Assert.Equal(new SourceLocation(ThisFile(), thinkLine, 1), think.Location);
    }

    [Fact]
    public void Command_line_overrides_are_checked_by_the_executors_rules()
    {
        var plan = Load.Plan().Scenario("s", s => s.Get("http://127.0.0.1:1/")).Build();
        var error = Assert.Throws<PlanException>(() => PlanOverrides.Apply(plan, vus: 5, duration: null, iterations: 2));
        Assert.Equal("--vus, --duration and --iterations make a shared-iterations executor, and iterations (2) can't be less than vus (5) in shared-iterations: every VU needs at least one iteration", error.Message);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e309")]
    public void A_threshold_bound_that_is_not_a_finite_number_is_refused_at_the_callers_line(string bound)
    {
        var line = Line(); var error = Assert.Throws<PlanException>(() => Load.Plan().Threshold("http_req_duration", $"p(95)<{bound}"));
        Assert.Equal($"'p(95)<{bound}': '{bound}' in 'p(95)<{bound}' is not a finite number; a threshold needs a bound that a measurement can cross", error.Reason);
        Assert.Equal(new SourceLocation(ThisFile(), line, 1), error.Location);
    }

    /// <summary>Builds a one-scenario plan configured on one line, and returns the refusal with that line.</summary>
    private static (PlanException Error, int Line) Refused(Action<ScenarioBuilder> configure, [CallerLineNumber] int line = 0) =>
        (Assert.Throws<PlanException>(() => Load.Plan().Scenario("s", configure)), line);

    private static int Line([CallerLineNumber] int line = 0) => line;

    private static string ThisFile([CallerFilePath] string file = "") => file;
}
