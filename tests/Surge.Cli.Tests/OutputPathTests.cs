using System.Text.Json;
using Surge.SampleApi;

namespace Surge.Cli.Tests;

/// <summary>
/// Output files that cannot be written: a bad path is found before any load (104, naming it and why); a write that
/// fails at the end (a full disk, /dev/full) costs only that file, is named, and the exit code keeps the verdict.
/// </summary>
public sealed class OutputPathTests : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("surge-paths-");
    private SampleApiHost _api = null!;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private string Health => _api.BaseAddress + "health";

    private string In(string name) => Path.Combine(_directory.FullName, name);

    private static long Requests(string summaryExport) =>
        JsonDocument.Parse(File.ReadAllText(summaryExport)).RootElement.GetProperty("metrics").GetProperty("http_reqs").GetProperty("count").GetInt64();

    private static void AssertNoStackTrace(SurgeProcess.Outcome run) =>
        Assert.DoesNotContain("   at ", run.Stderr + run.Stdout, StringComparison.Ordinal);

    [Theory]
    [InlineData("--summary-export", "/proc/nope/x.json", "its folder '/proc/nope' does not exist and cannot be created")]
    [InlineData("--result", "{dir}", "is a directory; give a file name")]
    [InlineData("--junit", "{dir}/", "is a directory; give a file name")]
    [InlineData("--csv", "/proc/nope/run", "its folder '/proc/nope' does not exist and cannot be created")]
    [InlineData("--report", "{file}/report.html", "is a file, not a folder")]
    [InlineData("--findings", "/proc/nope/findings.md", "its folder '/proc/nope' does not exist and cannot be created")]
    public async Task An_output_path_that_cannot_be_written_exits_104_naming_it_and_why_before_any_request(string option, string path, string reason)
    {
        var file = In("a-file");
        await File.WriteAllTextAsync(file, "");
        path = path.Replace("{dir}", _directory.FullName, StringComparison.Ordinal).Replace("{file}", file, StringComparison.Ordinal);

        var run = await SurgeProcess.RunAsync("run", "--vus", "1", "--iterations", "5", Health, option, path);

        Assert.Equal(104, run.ExitCode);
        var error = Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {option} '{path}", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }

    [Fact]
    public async Task Two_outputs_on_one_file_exit_104_before_any_request()
    {
        var run = await SurgeProcess.RunAsync("run", "--vus", "1", "--iterations", "5", Health, "--summary-export", In("same.json"), "--result", In("same.json"));

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"--summary-export and --result would write the same file '{In("same.json")}'", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }

    [Fact]
    public async Task A_full_disk_at_the_end_costs_only_that_file_and_a_passing_run_exits_with_outputs_incomplete()
    {
        var run = await SurgeProcess.RunAsync("run", "--vus", "2", "--iterations", "40", Health, "--quiet",
            "--junit", "/dev/full", "--summary-export", In("summary.json"), "--csv", In("run"), "--report", In("report.html"));

        Assert.Equal(120, run.ExitCode);
        Assert.Contains("error: --junit '/dev/full' was not written: No space left on device", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("http_reqs", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(40, _api.RequestCount);
        Assert.Equal(_api.RequestCount, Requests(In("summary.json")));
        Assert.True(File.Exists(In("run_failures.csv")));
        Assert.Contains("</html>", await File.ReadAllTextAsync(In("report.html")), StringComparison.Ordinal);
        AssertNoStackTrace(run);
    }

    [Fact]
    public async Task A_full_disk_never_hides_failed_thresholds_which_still_exit_99()
    {
        var test = SurgeProcess.WriteTestFile($"""
            thresholds:
              http_reqs: ["count>1000"]
            scenarios:
              few:
                executor: shared-iterations
                vus: 1
                iterations: 5
                requests:
                  - url: {Health}
            """);

        var run = await SurgeProcess.RunAsync("run", test, "--quiet", "--summary-export", "/dev/full", "--result", In("result.json"));

        Assert.Equal(99, run.ExitCode);
        Assert.Contains("error: --summary-export '/dev/full' was not written: No space left on device", run.Stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(In("result.json")));

        var report = await SurgeProcess.RunAsync("report", In("result.json"), "--summary-export", In("again.json"), "--junit", "/dev/full");

        Assert.Equal(99, report.ExitCode);
        Assert.Contains("error: --junit '/dev/full' was not written", report.Stderr, StringComparison.Ordinal);
        Assert.Equal(5, Requests(In("again.json")));
    }

    [Fact]
    public async Task Report_and_compare_check_their_output_paths_before_reading_anything()
    {
        var missing = In("no-such-result.json");

        var report = await SurgeProcess.RunAsync("report", missing, "--report", _directory.FullName);
        var compare = await SurgeProcess.RunAsync("compare", missing, missing, "--json", "/proc/nope/compare.json");

        Assert.Equal(104, report.ExitCode);
        Assert.Equal($"error: --report '{_directory.FullName}': is a directory; give a file name", report.Stderr.Trim());
        Assert.Equal(104, compare.ExitCode);
        Assert.StartsWith("error: --json '/proc/nope/compare.json': its folder '/proc/nope' does not exist", compare.Stderr.Trim(), StringComparison.Ordinal);
    }
}
