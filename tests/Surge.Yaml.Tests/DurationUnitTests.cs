using Surge.Plans;

namespace Surge.Yaml.Tests;

/// <summary>
/// A bare number where a duration belongs is 2 ms to a k6 user and 2 s to an Artillery user: the file must say which,
/// except for 0, which is the same in every unit.
/// </summary>
public sealed class DurationUnitTests
{
    private const string Base = "options: { baseUrl: \"http://127.0.0.1:5000\" }\n";

    [Fact]
    public void A_think_time_without_a_unit_names_both_readings_at_its_value()
    {
        var error = Yaml.ErrorAt(Base + "requests:\n  - get: /items\n  - think: 2\n", 4, 12);
        Assert.Equal("think: '2' has no unit: 2 ms or 2 s? write 2s or 2ms", error.Reason);
    }

    [Fact]
    public void A_think_range_without_units_names_both_readings_of_its_first_bare_end()
    {
        var error = Yaml.ErrorAt(Base + "requests:\n  - get: /items\n  - think: 1-3s\n", 4, 12);
        Assert.Equal("think: '1' has no unit: 1 ms or 1 s? write 1s or 1ms (a range is written e.g. 1s-3s)", error.Reason);
    }

    [Theory]
    [InlineData("vus: 1\nduration: 30\nrequests: [ { get: /a } ]", 3, 11, "duration: '30' has no unit: 30 ms or 30 s? write 30s or 30ms")]
    [InlineData("requests: [ { get: /a, timeout: 5 } ]", 2, 33, "timeout: '5' has no unit: 5 ms or 5 s? write 5s or 5ms")]
    [InlineData("scenarios:\n  s:\n    executor: shared-iterations\n    gracefulStop: 2.5\n    requests: [ { get: /a } ]", 5, 19, "gracefulStop: '2.5' has no unit: 2.5 ms or 2.5 s? write 2.5s or 2.5ms")]
    [InlineData("scenarios:\n  s:\n    executor: shared-iterations\n    startTime: 10\n    requests: [ { get: /a } ]", 5, 16, "startTime: '10' has no unit: 10 ms or 10 s? write 10s or 10ms")]
    [InlineData("scenarios:\n  s:\n    executor: shared-iterations\n    maxDuration: 60\n    requests: [ { get: /a } ]", 5, 18, "maxDuration: '60' has no unit: 60 ms or 60 s? write 60s or 60ms")]
    [InlineData("stages: [ { duration: 30, target: 5 } ]\nrequests: [ { get: /a } ]", 2, 23, "stage duration: '30' has no unit: 30 ms or 30 s? write 30s or 30ms")]
    [InlineData("scenarios:\n  s:\n    executor: ramping-vus\n    gracefulRampDown: 5\n    stages: [ { duration: 5s, target: 1 } ]\n    requests: [ { get: /a } ]", 5, 23, "gracefulRampDown: '5' has no unit: 5 ms or 5 s? write 5s or 5ms")]
    [InlineData("scenarios:\n  s:\n    executor: constant-arrival-rate\n    rate: 1\n    timeUnit: 1\n    duration: 5s\n    preAllocatedVUs: 1\n    requests: [ { get: /a } ]", 6, 15, "timeUnit: '1' has no unit: 1 ms or 1 s? write 1s or 1ms")]
    [InlineData("thresholds:\n  http_reqs: [ { threshold: count>1, delayAbortEval: 10 } ]\nrequests: [ { get: /a } ]", 3, 54, "delayAbortEval: '10' has no unit: 10 ms or 10 s? write 10s or 10ms")]
    [InlineData("requests: [ { get: /a, checks: [ { duration: 500 } ] } ]", 2, 46, "duration: '500' has no unit: 500 ms or 500 s? write 500s or 500ms")]
    [InlineData("profiles: { quick: { vus: 1, duration: 30 } }\nrequests: [ { get: /a } ]", 2, 40, "duration: '30' has no unit: 30 ms or 30 s? write 30s or 30ms")]
    public void Every_duration_without_a_unit_names_both_readings_at_its_value(string yaml, int line, int column, string message)
    {
        var error = Yaml.ErrorAt(Base + yaml, line, column);
        Assert.Equal(message, error.Reason);
    }

    [Fact]
    public void Zero_needs_no_unit()
    {
        var scenario = Yaml.OnlyScenario(Base + "scenarios:\n  s:\n    executor: shared-iterations\n    gracefulStop: 0\n    startTime: 0\n    requests: [ { get: /a }, { think: 0 } ]\n");
        Assert.Equal(TimeSpan.Zero, scenario.GracefulStop);
        Assert.Equal(TimeSpan.Zero, scenario.StartTime);
        Assert.Equal(new ThinkStep(TimeSpan.Zero, TimeSpan.Zero), scenario.Steps[1] with { Location = null });
    }
}
