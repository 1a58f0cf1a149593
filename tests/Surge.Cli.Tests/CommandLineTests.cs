using Surge.SampleApi;

namespace Surge.Cli.Tests;

/// <summary>The command line as a k6 or Locust user meets it: help, version, usage errors, their scripts, profiles.</summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("surge-cli-").FullName;
    private SampleApiHost _api = null!;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string Health => _api.BaseAddress + "health";

    [Fact]
    public async Task Bare_surge_prints_the_help_and_exits_0()
    {
        var run = await SurgeProcess.RunAsync();

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("run", run.Stdout, StringComparison.Ordinal);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public async Task Surge_version_prints_the_version_runtime_and_platform()
    {
        var run = await SurgeProcess.RunAsync("version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^surge v[0-9]+\.[0-9]+\.[0-9]+\S* \(\.NET [0-9.]+\S*, [a-z]+-[a-z0-9]+\)\n$", run.Stdout);
    }

    [Theory]
    [InlineData(new[] { "run", "--http-debug" }, "error: Required argument 'target' missing", "surge run")]
    [InlineData(new[] { "run", "--http-debg", "test.yaml" }, "error: unknown option '--http-debg'", "surge run")]
    [InlineData(new[] { "run", "test.yaml", "--bogus" }, "error: unknown option '--bogus'", "surge run")]
    [InlineData(new[] { "run", "test.yaml", "--vus", "many" }, "error: Cannot parse argument 'many' for option '--vus'", "surge run")]
    [InlineData(new[] { "report" }, "error: Required argument 'result' missing", "surge report")]
    [InlineData(new[] { "runn", "test.yaml" }, "error: ", "surge")]
    public async Task A_usage_error_is_one_line_naming_it_a_hint_to_help_and_exit_2(string[] args, string error, string command)
    {
        var run = await SurgeProcess.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(error, lines[0], StringComparison.Ordinal);
        Assert.Equal($"Run '{command} --help' for usage.", lines[1]);
        Assert.Equal("", run.Stdout);
    }

    [Theory]
    [InlineData(new[] { "--out", "json=points.ndjson" }, "--out needs a running test")]
    [InlineData(new[] { "--dashboard" }, "--dashboard needs a running test")]
    public async Task Surge_report_refuses_live_options_it_cannot_honour(string[] options, string error)
    {
        var run = await SurgeProcess.RunAsync(["report", Path.Combine(_folder, "result.json"), .. options]);

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith($"error: {error}", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_host_without_dashboard_is_a_usage_error_before_any_request()
    {
        var run = await SurgeProcess.RunAsync("run", Health, "-i", "3", "--dashboard-host", "dash.example");

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --dashboard-host allows a name for the dashboard; add --dashboard too", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }

    [Theory]
    [InlineData("script.js", "looks like a k6 JavaScript test")]
    [InlineData("locustfile.py", "looks like a Locust Python test")]
    public async Task A_k6_or_locust_script_gets_a_plain_message_pointing_to_the_migration_table(string name, string message)
    {
        var path = Path.Combine(_folder, name);
        await File.WriteAllTextAsync(path, "");

        var run = await SurgeProcess.RunAsync("run", path);

        Assert.Equal(104, run.ExitCode);
        Assert.Equal($"error: {path} {message}; Surge runs YAML (.yaml) and C# (.cs) tests. The README's \"Coming from k6, Locust or Artillery\" table shows how each concept translates", run.Stderr.Trim());
    }

    [Fact]
    public async Task No_thresholds_runs_a_failing_threshold_without_judging_it()
    {
        var test = SurgeProcess.WriteTestFile($"""
            thresholds:
              http_reqs: ["count>1000"]
            iterations: 5
            requests:
              - url: {Health}
            """);

        var judged = await SurgeProcess.RunAsync("run", test, "--quiet");
        var unjudged = await SurgeProcess.RunAsync("run", test, "--quiet", "--no-thresholds");

        Assert.Equal(99, judged.ExitCode);
        Assert.Equal(0, unjudged.ExitCode);
        Assert.Equal(10, _api.RequestCount);
    }

    [Fact]
    public async Task Stage_reshapes_every_scenario_into_ramping_vus_and_summary_trend_stats_picks_the_columns()
    {
        var test = SurgeProcess.WriteTestFile($"""
            iterations: 5
            requests:
              - url: {Health}
            """);

        var run = await SurgeProcess.RunAsync("run", test, "--quiet", "-s", "1s:2", "--stage", "1s:0", "--summary-trend-stats", "avg,p(99.9)");
        var ambiguous = await SurgeProcess.RunAsync("run", test, "--quiet", "-s", "1s:2", "--duration", "5s");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Up to 2 looping VUs for 2s over 2 stages", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("p(99.9)=", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("med=", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, ambiguous.ExitCode);
        Assert.StartsWith("error: --stage cannot be combined with --duration or --iterations", ambiguous.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duration_or_stage_without_a_unit_asks_which_one_was_meant_before_any_request()
    {
        var test = SurgeProcess.WriteTestFile($"""
            iterations: 5
            requests:
              - url: {Health}
            """);

        var duration = await SurgeProcess.RunAsync("run", test, "--quiet", "--duration", "30");
        var stage = await SurgeProcess.RunAsync("run", test, "--quiet", "-s", "30:10");

        Assert.Equal(104, duration.ExitCode);
        Assert.StartsWith("error: --duration: '30' has no unit: 30 ms or 30 s? write 30s or 30ms", duration.Stderr, StringComparison.Ordinal);
        Assert.Equal(104, stage.ExitCode);
        Assert.StartsWith("error: --stage '30:10': '30' has no unit: 30 ms or 30 s? write 30s or 30ms", stage.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }

    [Fact]
    public async Task Quick_mode_takes_hey_like_flags_and_refuses_a_header_that_would_smuggle_another()
    {
        var post = await SurgeProcess.RunAsync("run", _api.BaseAddress + "items", "-i", "3", "--quiet",
            "-m", "POST", "-H", "X-Trace: quick", "--body", "--a body that starts with dashes", "-T", "text/plain");
        var count = _api.RequestCount;
        var smuggling = await SurgeProcess.RunAsync("run", Health, "-i", "3", "-H", "X-A: 1\r\nInjected: 1");
        var outsideQuickMode = await SurgeProcess.RunAsync("run", Path.Combine(_folder, "test.yaml"), "-H", "X-A: 1");

        Assert.Equal(0, post.ExitCode);
        Assert.Equal(3, count);
        Assert.Equal(104, smuggling.ExitCode);
        Assert.Contains("-H 'X-A': the value holds a line break", smuggling.Stderr, StringComparison.Ordinal);
        Assert.Equal(3, _api.RequestCount);
        Assert.Equal(2, outsideQuickMode.ExitCode);
        Assert.StartsWith("error: --header is for quick mode", outsideQuickMode.Stderr, StringComparison.Ordinal);
    }
}
