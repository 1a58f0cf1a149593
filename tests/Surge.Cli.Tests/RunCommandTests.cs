using System.Text.Json;
using Surge.SampleApi;

namespace Surge.Cli.Tests;

public sealed class RunCommandTests : IAsyncLifetime
{
    private SampleApiHost _api = null!;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private string Base => _api.BaseAddress.ToString().TrimEnd('/');

    private string SharedIterations(int iterations, string thresholds = "") => SurgeProcess.WriteTestFile($"""
        options:
          baseUrl: {Base}
        {thresholds}
        scenarios:
          hits:
            executor: shared-iterations
            vus: 10
            iterations: {iterations}
            requests:
              - name: item
                url: /items/1
        """);

    [Fact]
    public async Task Shared_iterations_of_500_yields_a_server_side_count_of_exactly_500()
    {
        var file = SharedIterations(500);

        var run = await SurgeProcess.RunAsync("run", file, "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(500, _api.RequestCount);
        Assert.Contains("http_reqs", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_run_header_and_the_summary_show_start_times_and_count_them_in_the_max_duration()
    {
        var file = SurgeProcess.WriteTestFile($"""
            options:
              baseUrl: {Base}
            scenarios:
              first:
                executor: shared-iterations
                vus: 1
                iterations: 2
                maxDuration: 10s
                gracefulStop: 5s
                requests:
                  - url: /items/1
              later:
                executor: per-vu-iterations
                vus: 2
                iterations: 1
                maxDuration: 20s
                gracefulStop: 2s
                startTime: 1s
                requests:
                  - url: /items/1
            """);

        var run = await SurgeProcess.RunAsync("run", file);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(4, _api.RequestCount);
        // later may last 1s + 20s + 2s = 23s from the run's start, which is longer than first's 10s + 5s.
        string[] header =
        [
            "  scenarios: 2 scenarios, 3 max VUs, 23s max duration (incl. startTime and gracefulStop)",
            "    * first: 2 iterations shared among 1 VUs (maxDuration: 10s, gracefulStop: 5s) (max 1 VUs, 15s)",
            "    * later: 1 iterations for each of 2 VUs (maxDuration: 20s, startTime: 1s, gracefulStop: 2s) (max 2 VUs, 23s)",
        ];
        Assert.StartsWith(string.Join('\n', header), run.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains(string.Join('\n', header), run.Stdout.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_threshold_exits_99_and_a_passing_one_exits_0()
    {
        var failing = SharedIterations(20, "thresholds:\n  http_reqs: [\"count<10\"]");
        var passing = SharedIterations(20, "thresholds:\n  http_reqs: [\"count==20\"]");

        var failed = await SurgeProcess.RunAsync("run", failing, "--quiet");
        var passed = await SurgeProcess.RunAsync("run", passing, "--quiet");

        Assert.Equal(99, failed.ExitCode);
        Assert.Contains("✗ 'count<10'", failed.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, passed.ExitCode);
        Assert.Contains("✓ 'count==20'", passed.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_yaml_syntax_error_exits_104_naming_the_line_before_any_request_is_sent()
    {
        var file = SurgeProcess.WriteTestFile("scenarios:\n  hits:\n    executor: shared-iterations\n   vus: [1\n");

        var run = await SurgeProcess.RunAsync("run", file);

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"{file}:4:", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }

    [Fact]
    public async Task A_threshold_on_an_unknown_metric_exits_104_before_the_test_starts()
    {
        var file = SharedIterations(5, "thresholds:\n  http_req_duraton: [\"p(95)<500\"]");

        var run = await SurgeProcess.RunAsync("run", file);

        Assert.Equal(104, run.ExitCode);
        Assert.Contains("did you mean 'http_req_duration'", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }

    [Fact]
    public async Task Quick_mode_hits_one_url_with_the_given_vus_and_iterations()
    {
        var run = await SurgeProcess.RunAsync("run", "--vus", "3", "--iterations", "30", $"{Base}/health", "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(30, _api.RequestCount);
    }

    [Fact]
    public async Task Summary_export_counts_match_the_server_side_counter()
    {
        var file = SharedIterations(120, "thresholds:\n  http_req_duration: [\"p(95)<5000\"]");
        var export = Path.Combine(Path.GetTempPath(), $"surge-export-{Guid.NewGuid():N}.json");

        var run = await SurgeProcess.RunAsync("run", file, "--quiet", "--summary-export", export);

        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(File.ReadAllText(export));
        var metrics = json.RootElement.GetProperty("metrics");
        Assert.Equal(_api.RequestCount, metrics.GetProperty("http_reqs").GetProperty("count").GetDouble());
        Assert.Equal(120, metrics.GetProperty("iterations").GetProperty("count").GetDouble());
        Assert.True(metrics.GetProperty("http_req_duration").GetProperty("p(95)").GetDouble() > 0);
    }

    [Fact]
    public async Task Cli_duration_that_does_not_parse_exits_104()
    {
        var run = await SurgeProcess.RunAsync("run", $"{Base}/health", "--duration", "ten seconds");

        Assert.Equal(104, run.ExitCode);
        Assert.Contains("--duration 'ten seconds'", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_stops_gracefully_with_exit_105_and_still_writes_the_summary_and_export()
    {
        var export = Path.Combine(Path.GetTempPath(), $"surge-export-{Guid.NewGuid():N}.json");
        using var surge = SurgeProcess.Start(workingDirectory: null, "run", "--vus", "2", "--duration", "5m", $"{Base}/health", "--quiet", "--summary-export", export);
        await surge.WaitUntilAsync(() => _api.RequestCount >= 50, "the server counted 50 requests");

        surge.Signal("TERM");
        var run = await surge.ExitAsync();

        Assert.Equal(105, run.ExitCode);
        Assert.Contains("http_reqs", run.Stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(export));
        Assert.Equal(_api.RequestCount, json.RootElement.GetProperty("metrics").GetProperty("http_reqs").GetProperty("count").GetDouble());
    }

    [Fact]
    public async Task Sigterm_still_writes_the_html_report_and_the_findings()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"surge-report-{Guid.NewGuid():N}");
        var report = Path.Combine(directory, "report.html");
        var findings = Path.Combine(directory, "findings.md");
        using var surge = SurgeProcess.Start(workingDirectory: null, "run", "--vus", "2", "--duration", "5m", $"{Base}/health", "--quiet", "--report", report, "--findings", findings);
        await surge.WaitUntilAsync(() => _api.RequestCount >= 50, "the server counted 50 requests");

        surge.Signal("TERM");
        var run = await surge.ExitAsync();

        Assert.Equal(105, run.ExitCode);
        var html = File.ReadAllText(report);
        var data = System.Text.RegularExpressions.Regex.Match(html, """<script type="application/json" id="surge-data">(.*?)</script>""").Groups[1].Value;
        using var json = JsonDocument.Parse(data);
        Assert.Equal(_api.RequestCount, json.RootElement.GetProperty("run").GetProperty("requests").GetDouble());
        Assert.Equal("interrupted", json.RootElement.GetProperty("run").GetProperty("outcome").GetString());
        var markdown = File.ReadAllText(findings);
        Assert.StartsWith("# Findings\n", markdown, StringComparison.Ordinal);
        Assert.Contains("The run was stopped early", markdown, StringComparison.Ordinal);
    }
}
