using System.Text.Json;

namespace Surge.Cli.Tests;

/// <summary>`surge inspect`: the plan `surge run` would run, as JSON, and nothing sent.</summary>
public sealed class InspectCommandTests
{
    // Nothing listens here: inspect must not send anything, and a run would fail every request.
    private const string Target = "http://127.0.0.1:9";

    [Fact]
    public async Task Inspect_prints_the_plan_after_the_profile_the_env_and_the_overrides_as_run_would_resolve_them()
    {
        var file = SurgeProcess.WriteTestFile($$$"""
            options:
              baseUrl: {{{Target}}}
            profiles:
              few: { vus: 2, iterations: 3 }
            iterations: 100
            thresholds:
              http_req_duration: ["p(95)<250"]
            requests:
              - name: health
                get: /health
                headers:
                  Authorization: Bearer {{ env("TOKEN") }}
            """);

        var run = await SurgeProcess.RunAsync("inspect", file, "--profile", "few", "-e", "TOKEN=abc", "--summary-trend-stats", "avg,p(99)");

        Assert.Equal(0, run.ExitCode);
        var plan = JsonDocument.Parse(run.Stdout).RootElement;
        var scenario = Assert.Single(plan.GetProperty("scenarios").EnumerateArray());
        var executor = scenario.GetProperty("executor");
        Assert.Equal("shared-iterations", executor.GetProperty("kind").GetString());
        Assert.Equal(2, executor.GetProperty("vus").GetInt32());
        Assert.Equal(3, executor.GetProperty("iterations").GetInt64());
        var step = Assert.Single(scenario.GetProperty("steps").EnumerateArray());
        Assert.Equal("RequestStep", step.GetProperty("$type").GetString());
        Assert.Equal("health", step.GetProperty("name").GetString());
        Assert.Equal($"{Target}/health", step.GetProperty("url").GetString());
        Assert.Equal("abc", plan.GetProperty("env").GetProperty("TOKEN").GetString());
        Assert.Equal("p(95)<250", Assert.Single(plan.GetProperty("thresholds").EnumerateArray()).GetProperty("expression").GetProperty("text").GetString());
        Assert.Equal(["avg", "p(99)"], plan.GetProperty("summaryTrendStats").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Command_line_overrides_replace_the_executor_in_what_inspect_shows()
    {
        var file = SurgeProcess.WriteTestFile($"""
            scenarios:
              browse:
                executor: constant-arrival-rate
                rate: 50
                duration: 1m
                preAllocatedVUs: 5
                startTime: 10s
                requests:
                  - url: {Target}/items
            """);

        var run = await SurgeProcess.RunAsync("inspect", file, "--vus", "4", "--duration", "15s");

        Assert.Equal(0, run.ExitCode);
        var scenario = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("scenarios")[0];
        Assert.Equal("constant-vus", scenario.GetProperty("executor").GetProperty("kind").GetString());
        Assert.Equal(4, scenario.GetProperty("executor").GetProperty("vus").GetInt32());
        Assert.Equal("15s", scenario.GetProperty("executor").GetProperty("duration").GetString());
        Assert.Equal("0s", scenario.GetProperty("startTime").GetString());
    }

    [Fact]
    public async Task A_csharp_step_is_shown_by_its_name_and_its_code_is_named_not_dumped()
    {
        var file = SurgeProcess.WriteTestFile("""
            public static class CodeTest
            {
                public static TestPlan Plan() => new()
                {
                    Scenarios =
                    [
                        new ScenarioPlan
                        {
                            Name = "code",
                            Executor = new PerVuIterationsExecutor(3, 2, TimeSpan.FromMinutes(1)),
                            Steps = [new CodeStep("login", Login)],
                        },
                    ],
                };

                private static Task Login(VuContext context) => Task.CompletedTask;
            }
            """, ".cs");

        var run = await SurgeProcess.RunAsync("inspect", file);

        Assert.Equal(0, run.ExitCode);
        var scenario = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("scenarios")[0];
        Assert.Equal("per-vu-iterations", scenario.GetProperty("executor").GetProperty("kind").GetString());
        var step = Assert.Single(scenario.GetProperty("steps").EnumerateArray());
        Assert.Equal("CodeStep", step.GetProperty("$type").GetString());
        Assert.Equal("login", step.GetProperty("name").GetString());
        Assert.EndsWith("CodeTest.Login)", step.GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("C# code (", step.GetProperty("body").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_test_exits_104_naming_the_line_as_run_does_and_prints_no_plan()
    {
        var file = SurgeProcess.WriteTestFile("scenarios:\n  broken:\n    executor: constant-vus\n    vus: lots\n    duration: 10s\n    requests:\n      - url: http://127.0.0.1:9/\n");

        var inspect = await SurgeProcess.RunAsync("inspect", file);
        var run = await SurgeProcess.RunAsync("run", file, "--quiet");

        Assert.Equal(104, inspect.ExitCode);
        Assert.Equal("", inspect.Stdout);
        Assert.Contains($"{file}:4:", inspect.Stderr, StringComparison.Ordinal);
        Assert.Equal(run.Stderr, inspect.Stderr);
    }
}
