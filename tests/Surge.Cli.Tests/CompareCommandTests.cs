using System.Text.Json;
using Surge.Cli.Commands;
using Surge.Plans;
using Surge.Reporting.Compare;
using Surge.SampleApi;

namespace Surge.Cli.Tests;

/// <summary>
/// Three real result files from the bundled sample API: a base run, the same test again, and a run in which the
/// "work" endpoint got a planted 50 ms delay. Each run has two arrival-rate scenarios, so that slowing one endpoint
/// changes neither the other's throughput nor its latency.
/// </summary>
public sealed class ComparedRuns : IAsyncLifetime
{
    public const int PlantedDelayMs = 50;

    private SampleApiHost _api = null!;

    public string Base { get; } = TempFile("base");

    public string Again { get; } = TempFile("again");

    public string Slow { get; } = TempFile("slow");

    /// <summary>What the server counted during each run: the ground truth for the request counts.</summary>
    public long BaseRequests { get; private set; }

    public long SlowRequests { get; private set; }

    public string SlowRunExport { get; } = TempFile("slow-export");

    public string SlowRunStdout { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _api = await SampleApiHost.StartAsync(new SampleApiOptions());
        // A cold server (and JIT) makes the first second slow: not the baseline anyone would keep.
        await RunAsync(delayMs: 0, TempFile("warm-up"));
        BaseRequests = await RunAsync(delayMs: 0, Base);
        await RunAsync(delayMs: 0, Again);
        SlowRequests = await RunAsync(PlantedDelayMs, Slow, "--summary-export", SlowRunExport);
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private async Task<long> RunAsync(int delayMs, string result, params string[] more)
    {
        // p95 of the slowed endpoint is at least the planted delay, so this threshold fails in the slow run only.
        var thresholds = delayMs > 0 ? "thresholds:\n  \"http_req_duration{name:work}\": [\"p(95)<40\"]" : "";
        var file = SurgeProcess.WriteTestFile($"""
            options:
              baseUrl: {_api.BaseAddress.ToString().TrimEnd('/')}
            {thresholds}
            # A fresh surge process compiles its HTTP path on the first request: a second of that under a busy CPU
            # would be in the measured tail instead of here.
            setup:
              - name: warm-up
                url: /health
            scenarios:
              light:
                executor: constant-arrival-rate
                rate: 100
                timeUnit: 1s
                duration: 2s
                preAllocatedVUs: 5
                maxVUs: 20
                requests:
                  - name: health
                    url: /health
              heavy:
                executor: constant-arrival-rate
                rate: 100
                timeUnit: 1s
                duration: 2s
                preAllocatedVUs: 10
                maxVUs: 40
                requests:
                  - name: work
                    url: /delay/{delayMs}
            """);
        var before = _api.RequestCount;
        var run = await SurgeProcess.RunAsync(["run", file, "--quiet", "--result", result, .. more]);
        if (delayMs > 0)
        {
            SlowRunStdout = run.Stdout;
        }
        Assert.True(File.Exists(result), run.Stderr);
        return _api.RequestCount - before;
    }

    private static string TempFile(string name) => Path.Combine(Path.GetTempPath(), $"surge-{name}-{Guid.NewGuid():N}.json");
}

public sealed class CompareCommandTests(ComparedRuns runs) : IClassFixture<ComparedRuns>
{
    // The medians only, and generously: on a shared 2-core machine a run now and then stalls for most of a second,
    // which puts 5-10% of its requests in the tail, so two runs of the same test differ wildly in p95 and p99 but
    // not in p50. The planted 50 ms on a loopback request of well under a millisecond moves the median all the same.
    // Judging p95 and p99 is covered against exact histograms in Surge.Reporting.Tests.
    private static readonly string[] MediansOnly = ["--tolerance", "100%", "--tolerance", "p95=off", "--tolerance", "p99=off", "--latency-floor", "25ms"];

    private static JsonElement Row(JsonDocument json, string endpoint) =>
        json.RootElement.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("endpoint").GetString() == endpoint);

    [Fact]
    public async Task Compare_flags_the_planted_slowdown_on_that_endpoint_only_and_exits_99()
    {
        var report = Path.Combine(Path.GetTempPath(), $"surge-compare-{Guid.NewGuid():N}.json");

        var compare = await SurgeProcess.RunAsync(["compare", runs.Base, runs.Slow, .. MediansOnly, "--json", report]);

        Assert.True(compare.ExitCode == 99, compare.Stdout + compare.Stderr);
        using var json = JsonDocument.Parse(File.ReadAllText(report));
        Assert.True(json.RootElement.GetProperty("regressed").GetBoolean());
        var work = Row(json, "GET work");
        Assert.True(work.GetProperty("verdict").GetString() == "regressed", compare.Stdout);
        Assert.True(work.GetProperty("changes").GetProperty("p50").GetProperty("verdict").GetString() == "regressed", compare.Stdout);
        Assert.True(work.GetProperty("new").GetProperty("p50").GetDouble() >= ComparedRuns.PlantedDelayMs, "the planted delay is a lower bound on every request to it");
        Assert.True(work.GetProperty("new").GetProperty("p95").GetDouble() >= ComparedRuns.PlantedDelayMs, "the planted delay is a lower bound on every request to it");
        Assert.True(Row(json, "GET health").GetProperty("verdict").GetString() != "regressed", compare.Stdout);
        Assert.Equal(runs.BaseRequests, Row(json, RunComparison.TotalLabel).GetProperty("base").GetProperty("requests").GetInt64());
        Assert.Equal(runs.SlowRequests, Row(json, RunComparison.TotalLabel).GetProperty("new").GetProperty("requests").GetInt64());
        // p95 is not judged (off) and, on a loaded box, may have moved by any amount: "+4900%", "-3.5%" or "0.0%".
        Assert.Matches(@"\n  GET work +requests .*REGRESSED\n.*\n\s+p50 .*ms +[-+]\d+% +REGRESSED\n\s+p95 .*ms +[-+]?\d+(\.\d)?%\n", compare.Stdout);
        Assert.Contains("✗ REGRESSED: ", compare.Stdout, StringComparison.Ordinal);
        Assert.Contains("GET work (p50 +", compare.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("GET health (", compare.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_of_two_runs_without_a_delay_passes_with_exit_0()
    {
        var compare = await SurgeProcess.RunAsync(["compare", runs.Base, runs.Again, .. MediansOnly]);

        Assert.True(compare.ExitCode == 0, compare.Stdout + compare.Stderr);
        Assert.Contains("✓ no regression beyond tolerance (3 endpoints compared)", compare.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_prints_a_markdown_table_for_a_pull_request_comment()
    {
        var compare = await SurgeProcess.RunAsync(["compare", runs.Base, runs.Slow, .. MediansOnly, "--format", "markdown"]);

        Assert.Equal(99, compare.ExitCode);
        Assert.StartsWith("### ❌ Surge compare: regression beyond tolerance", compare.Stdout, StringComparison.Ordinal);
        Assert.Contains("\n| ❌ | GET work | ", compare.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_prints_the_summary_again_and_writes_the_same_summary_export_as_the_run()
    {
        var export = Path.Combine(Path.GetTempPath(), $"surge-report-export-{Guid.NewGuid():N}.json");

        var report = await SurgeProcess.RunAsync("report", runs.Slow, "--summary-export", export);

        Assert.Equal(99, report.ExitCode);
        Assert.Equal(runs.SlowRunStdout, report.Stdout);
        Assert.Contains("✗ 'p(95)<40'", report.Stdout, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllText(runs.SlowRunExport), File.ReadAllText(export));
    }

    [Fact]
    public async Task Report_of_a_run_without_failed_thresholds_exits_0()
    {
        var report = await SurgeProcess.RunAsync("report", runs.Base);

        Assert.Equal(0, report.ExitCode);
        Assert.Contains("http_reqs", report.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_result_file_exits_104_naming_the_file_and_the_json_path()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"surge-broken-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(broken, """{ "format": "surge-result", "version": 1, "startedAt": 42 }""");

        var compare = await SurgeProcess.RunAsync("compare", runs.Base, broken);
        var report = await SurgeProcess.RunAsync("report", broken);

        Assert.Equal(104, compare.ExitCode);
        Assert.Contains($"error: {broken}: surge result file: $.startedAt: expected a string, found Number", compare.Stderr, StringComparison.Ordinal);
        Assert.Equal(104, report.ExitCode);
        Assert.Contains($"error: {broken}: ", report.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_or_non_json_file_exits_104_naming_it()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"surge-missing-{Guid.NewGuid():N}.json");
        var text = Path.Combine(Path.GetTempPath(), $"surge-text-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(text, "{\n  \"format\": oops\n}");

        var absent = await SurgeProcess.RunAsync("compare", missing, runs.Base);
        var invalid = await SurgeProcess.RunAsync("compare", runs.Base, text);

        Assert.Equal(104, absent.ExitCode);
        Assert.Contains($"error: {missing}: cannot read the result file", absent.Stderr, StringComparison.Ordinal);
        Assert.Equal(104, invalid.ExitCode);
        Assert.Contains($"error: {text}: surge result file: not valid JSON at line 2", invalid.Stderr, StringComparison.Ordinal);
    }
}

public sealed class CompareToleranceTests
{
    [Fact]
    public void A_bare_tolerance_sets_throughput_and_every_percentile_and_a_named_one_overrides_whatever_the_order()
    {
        var tolerances = CompareCommand.Tolerances(["p99=25%", "5%", "rps=0.2"], "2%", 50, "500us");

        Assert.Equal(0.2, tolerances.RequestsPerSecond);
        Assert.Equal(0.05, tolerances.P50);
        Assert.Equal(0.05, tolerances.P95);
        Assert.Equal(0.25, tolerances.P99);
        Assert.Equal(0.02, tolerances.ErrorRate);
        Assert.Equal(50, tolerances.MinRequests);
        Assert.Equal(0.5, tolerances.LatencyFloorMs);
    }

    [Fact]
    public void Off_shows_a_stat_without_ever_judging_it()
    {
        var tolerances = CompareCommand.Tolerances(["p99=off"], "off", 30, "1ms");

        Assert.Equal(double.PositiveInfinity, tolerances.P99);
        Assert.Equal(double.PositiveInfinity, tolerances.ErrorRate);
        Assert.Equal(0.1, tolerances.P95);
    }

    [Fact]
    public void Without_options_the_defaults_are_ten_percent_one_point_of_errors_thirty_requests_and_one_millisecond()
    {
        var tolerances = CompareCommand.Tolerances([], "0.01", 30, "1ms");

        Assert.Equal(new CompareTolerances(), tolerances);
        Assert.Equal(0.1, tolerances.P95);
        Assert.Equal(0.01, tolerances.ErrorRate);
    }

    [Theory]
    [InlineData("10", "ambiguous; write 10% for a percentage")]
    [InlineData("ten", "is not a tolerance")]
    [InlineData("-5%", "is not a tolerance")]
    [InlineData("p90=5%", "unknown statistic 'p90'; use one of rps, p50, p95, p99, errors")]
    public void A_tolerance_that_does_not_parse_is_refused_with_a_hint(string text, string message)
    {
        var error = Assert.Throws<PlanException>(() => CompareCommand.Tolerances([text], "0.01", 30, "1ms"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
