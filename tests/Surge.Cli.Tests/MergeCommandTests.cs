using System.Text.Json;
using Surge.Reporting;
using Surge.Results;
using Surge.SampleApi;

namespace Surge.Cli.Tests;

/// <summary>
/// `surge merge` on results of real `surge run` processes started side by side, as the instances of one distributed
/// run are, against the sample API: the server's own request count is the ground truth.
/// </summary>
public sealed class MergeCommandTests
{
    private const int Instances = 3;

    private static readonly string[] ReportFiles = ["r.html", "j.xml", "stats_stats.csv", "stats_stats_history.csv", "stats_failures.csv", "k6.json", "f.md"];

    private static string Folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"surge-merge-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Starts every instance at once, each writing its --result; waits for all and returns the result files.</summary>
    private static async Task<string[]> RunInstancesAsync(string test, string folder)
    {
        var results = Enumerable.Range(0, Instances).Select(i => Path.Combine(folder, $"part{i}.json")).ToArray();
        var processes = results.Select(result => SurgeProcess.Start(null, "run", test, "--quiet", "--result", result)).ToList();
        try
        {
            foreach (var process in processes)
            {
                var run = await process.ExitAsync();
                Assert.True(run.ExitCode == 0, $"an instance exited {run.ExitCode}:\n{run.Stdout}\n{run.Stderr}");
            }
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
        }
        return results;
    }

    private static RunSummary ReadResult(string path)
    {
        using var stream = File.OpenRead(path);
        return ResultFile.Read(stream);
    }

    [Fact]
    public async Task Three_instances_of_333_iterations_merge_into_the_999_requests_the_server_counted_and_a_threshold_on_the_whole_fails()
    {
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions());
        // Each instance passes count<500 on its own; the whole run is 999 requests, which fails it.
        var test = SurgeProcess.WriteTestFile($$"""
            options:
              baseUrl: {{api.BaseAddress}}
            thresholds:
              http_reqs: ["count<500"]
              http_req_failed: ["rate<0.01"]
            scenarios:
              share:
                executor: shared-iterations
                vus: 4
                iterations: 333
                requests:
                  - get: /status/200
            """);
        var folder = Folder();
        var parts = await RunInstancesAsync(test, folder);
        var all = Path.Combine(folder, "all.json");

        var merge = await SurgeProcess.RunAsync(["merge", .. parts, "-o", all]);

        Assert.True(merge.ExitCode == 99, $"exit {merge.ExitCode}:\n{merge.Stdout}\n{merge.Stderr}");
        Assert.Equal(Instances * 333, api.RequestCount);
        var merged = ReadResult(all);
        Assert.Equal(api.RequestCount, (long)merged.Find("http_reqs")!.Total.Sum);
        Assert.Equal(api.RequestCount, merged.Timeline.Sum(p => p.Requests));
        Assert.Equal(Instances * 333, merged.Scenarios.Single().CompletedIterations);
        Assert.Equal((999.0, false), (merged.Thresholds[0].Observed, merged.Thresholds[0].Passed));
        Assert.True(merged.Thresholds[1].Passed);
        Assert.Equal(parts, merged.Parts.Select(p => p.Source));
        Assert.Contains("count<500", merge.Stdout, StringComparison.Ordinal);
        var histograms = parts.Select(ReadResult).Select(p => p.Find("http_req_duration")!.Total.Histogram!).ToList();
        var one = new Metrics.Histogram();
        histograms.ForEach(one.Add);
        Assert.Equal(one.ToBase64(), merged.Find("http_req_duration")!.Total.Histogram!.ToBase64());

        // Every report from the merged result, with the merged verdict.
        var report = await SurgeProcess.RunAsync("report", all, "--report", Path.Combine(folder, "r.html"), "--junit", Path.Combine(folder, "j.xml"),
            "--csv", Path.Combine(folder, "stats"), "--summary-export", Path.Combine(folder, "k6.json"), "--findings", Path.Combine(folder, "f.md"));
        Assert.True(report.ExitCode == 99, $"exit {report.ExitCode}:\n{report.Stdout}\n{report.Stderr}");
        Assert.All(ReportFiles, name => Assert.True(new FileInfo(Path.Combine(folder, name)).Length > 0, name));
        using var export = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "k6.json")));
        Assert.Equal(999, export.RootElement.GetProperty("metrics").GetProperty("http_reqs").GetProperty("count").GetInt32());
        var history = await File.ReadAllLinesAsync(Path.Combine(folder, "stats_stats_history.csv"));
        Assert.True(history.Length > 1, "the merged result's timeline reaches the history CSV");
    }

    [Fact]
    public async Task A_merged_ramping_vus_timeline_follows_the_plan_within_one_slice()
    {
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions());
        var test = SurgeProcess.WriteTestFile($$"""
            options:
              baseUrl: {{api.BaseAddress}}
            thresholds:
              http_req_failed: ["rate<0.01"]
            scenarios:
              ramp:
                executor: ramping-vus
                startVUs: 0
                stages:
                  - { duration: 3s, target: 6 }
                  - { duration: 2s, target: 6 }
                requests:
                  - get: /status/200
                  - think: 100ms
            """);
        var folder = Folder();
        var parts = (await RunInstancesAsync(test, folder)).ToList();
        var all = Path.Combine(folder, "all.json");

        var merge = await SurgeProcess.RunAsync(["merge", .. parts, "-o", all]);

        Assert.True(merge.ExitCode == 0, $"exit {merge.ExitCode}:\n{merge.Stdout}\n{merge.Stderr}");
        var merged = ReadResult(all);
        var starts = parts.Select(ReadResult).Select(p => (p.StartedAt - merged.StartedAt).TotalSeconds).ToList();
        // The plan's VUs for one instance τ seconds after its own start.
        static double Plan(double tau) => tau < 0 || tau > 5 ? 0 : Math.Min(6, 6 * tau / 3);
        Assert.NotEmpty(merged.Timeline);
        var slice = merged.Timeline.Max(p => p.Length).TotalSeconds;
        foreach (var point in merged.Timeline)
        {
            // Within one slice: between the least and the most the plan asks of all instances from one slice before
            // this one to one slice after it.
            var (start, end) = (point.Start.TotalSeconds, (point.Start + point.Length).TotalSeconds);
            var window = Enumerable.Range(0, 101).Select(i => start - slice + (i * (end - start + (2 * slice)) / 100)).ToList();
            var low = starts.Sum(s => window.Min(t => Math.Floor(Plan(t - s))));
            var high = starts.Sum(s => window.Max(t => Math.Ceiling(Plan(t - s))));
            Assert.True(point.Vus >= low && point.Vus <= high,
                $"{point.Vus} VUs at {end:0.00}s, the plan allows {low}-{high} (instances started at {string.Join(", ", starts.Select(s => s.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))} s)");
        }
        Assert.Equal(Instances * 6, merged.Timeline.Max(p => p.Vus));
        Assert.Equal(Instances * 6, merged.Find("vus")!.Total.GaugeMax);
        Assert.Equal(Instances * 6, merged.Find("vus_max")!.Total.GaugeMax);
    }

    [Fact]
    public async Task Results_of_different_plans_are_refused_naming_the_difference()
    {
        var folder = Folder();
        var part = WriteResult(folder, "a.json", scenarioHash: "1111111111111111");
        var other = WriteResult(folder, "b.json", scenarioHash: "2222222222222222");

        var merge = await SurgeProcess.RunAsync("merge", part, other, "-o", Path.Combine(folder, "all.json"));

        Assert.Equal(104, merge.ExitCode);
        Assert.Equal($"error: cannot merge: {part} and {other} ran different plans, so their results do not add up to one run: they differ in scenarios.browse.executor",
            merge.Stderr.Trim());
        Assert.False(File.Exists(Path.Combine(folder, "all.json")));
    }

    public static TheoryData<string, string> BadFiles => new()
    {
        { "not JSON at all", "not valid JSON" },
        { "TRUNCATED", "not valid JSON" },
        { """{"format": "surge-result", "version": 99}""", "version 99 was written by a newer Surge" },
        { """{"name": "a package.json", "version": "1.0.0"}""", "missing property 'format'" },
        { "", "not valid JSON" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public async Task A_bad_file_is_one_line_naming_it_and_exit_104(string content, string expected)
    {
        var folder = Folder();
        var good = WriteResult(folder, "good.json", scenarioHash: "1111111111111111");
        var bad = Path.Combine(folder, "bad.json");
        var text = File.ReadAllText(good);
        await File.WriteAllTextAsync(bad, content == "TRUNCATED" ? text[..(text.Length / 2)] : content);

        var merge = await SurgeProcess.RunAsync("merge", good, bad, "-o", Path.Combine(folder, "all.json"));

        Assert.Equal(104, merge.ExitCode);
        var line = Assert.Single(merge.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {bad}: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_file_is_named_with_exit_104()
    {
        var missing = Path.Combine(Folder(), "nowhere.json");

        var merge = await SurgeProcess.RunAsync("merge", missing);

        Assert.Equal(104, merge.ExitCode);
        Assert.StartsWith($"error: {missing}: cannot read the result file", merge.Stderr.Trim(), StringComparison.Ordinal);
    }

    /// <summary>A small valid result file whose plan identity has the given hash for one scenario field.</summary>
    private static string WriteResult(string folder, string name, string scenarioHash)
    {
        var summary = new RunSummary
        {
            StartedAt = DateTimeOffset.UtcNow,
            Duration = TimeSpan.FromSeconds(1),
            Metrics = [],
            Thresholds = [],
            Scenarios = [],
            Plan = new PlanIdentity(scenarioHash + "-all", new Dictionary<string, string>
            {
                ["scenarios.browse.executor"] = scenarioHash,
                ["http"] = "3333333333333333",
            }),
        };
        var path = Path.Combine(folder, name);
        using var stream = File.Create(path);
        ResultFile.Write(summary, stream);
        return path;
    }
}
