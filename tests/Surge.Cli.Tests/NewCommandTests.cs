using System.Text.Json;
using Surge.Plans;
using Surge.SampleApi;
using Surge.Yaml;

namespace Surge.Cli.Tests;

public sealed class NewCommandTests : IAsyncLifetime
{
    private SampleApiHost _api = null!;
    private readonly string _folder = Directory.CreateTempSubdirectory("surge-new-").FullName;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string Url => new Uri(_api.BaseAddress, "items?limit=5").ToString();

    private async Task<TestPlan> NewAsync(string type)
    {
        var path = Path.Combine(_folder, type + ".yaml");
        var run = await SurgeProcess.RunAsync("new", type, Url, "--file", path);
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains($"wrote {path}", run.Stdout);
        return YamlPlanLoader.Load(path);
    }

    public static TheoryData<string> Types => ["smoke", "load", "stress", "spike", "soak", "breakpoint"];

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Every_preset_is_a_valid_test_that_runs_shortened_against_the_url_given(string type)
    {
        var plan = await NewAsync(type);
        var text = await File.ReadAllTextAsync(Path.Combine(_folder, type + ".yaml"));
        Assert.Contains("baseUrl: " + _api.BaseAddress.GetLeftPart(UriPartial.Authority) + "\n", text);
        Assert.Contains("get: '/items?limit=5'", text);
        Assert.NotEmpty(plan.Thresholds);

        var before = _api.RequestCount;
        var export = Path.Combine(_folder, type + ".json");
        var run = await SurgeProcess.RunAsync("run", Path.Combine(_folder, type + ".yaml"), "--vus", "2", "--iterations", "10", "--quiet", "--summary-export", export);

        // --iterations 10 gives each scenario exactly 10 iterations of one request, all answered 200 by the server.
        // Latency thresholds depend on how busy this machine is, so only they may fail (exit 99); nothing else may.
        var requests = 10 * plan.Scenarios.Count;
        Assert.Equal(requests, _api.RequestCount - before);
        using var summary = JsonDocument.Parse(await File.ReadAllBytesAsync(export));
        var metrics = summary.RootElement.GetProperty("metrics");
        Assert.Equal(requests, metrics.GetProperty("http_reqs").GetProperty("count").GetInt32());
        Assert.Equal(requests, metrics.GetProperty("checks").GetProperty("passes").GetInt32());
        Assert.Equal(0, metrics.GetProperty("http_req_failed").GetProperty("passes").GetInt32());
        var failed = metrics.EnumerateObject()
            .Where(m => m.Value.TryGetProperty("thresholds", out _))
            .SelectMany(m => m.Value.GetProperty("thresholds").EnumerateObject().Where(t => t.Value.GetBoolean()).Select(t => $"{m.Name}: {t.Name}"))
            .ToList();
        Assert.All(failed, f => Assert.StartsWith("http_req_duration", f, StringComparison.Ordinal));
        Assert.True(run.ExitCode == (failed.Count == 0 ? 0 : 99), run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task The_spike_preset_goes_10_200_10_250_0_and_judges_the_calm_between_the_spikes_on_its_own()
    {
        var plan = await NewAsync("spike");

        var spike = Assert.IsType<RampingVusExecutor>(plan.Scenarios.Single(s => s.Name == "spike").Executor);
        var targets = spike.Stages.Select(s => (int)s.Target).Prepend(spike.StartVus).ToList();
        Assert.Equal([10, 200, 10, 250, 0], ChangesOf(targets));
        var recovery = plan.Scenarios.Single(s => s.Name == "recovery");
        var calmStarts = spike.Stages.Take(4).Aggregate(TimeSpan.Zero, (t, s) => t + s.Duration);
        var calmEnds = calmStarts + spike.Stages[4].Duration;
        Assert.True(recovery.StartTime > calmStarts && recovery.StartTime + recovery.Executor.MaxDuration <= calmEnds);
        Assert.Contains(plan.Thresholds, t => t.Key.ToString() == "http_req_duration{scenario:recovery}");
    }

    // 10, 10, 200, 200, 10 ... with repeats folded: the levels the load goes through.
    private static List<int> ChangesOf(IEnumerable<int> levels) =>
        levels.Aggregate(new List<int>(), (list, level) => { if (list.Count == 0 || list[^1] != level) { list.Add(level); } return list; });

    [Fact]
    public async Task The_soak_preset_holds_a_steady_load_for_at_least_30_minutes()
    {
        var soak = Assert.IsType<RampingVusExecutor>((await NewAsync("soak")).Scenarios.Single().Executor);

        var hold = soak.Stages.Zip(soak.Stages.Skip(1)).Where(p => p.First.Target == p.Second.Target && p.Second.Target > 0).Max(p => p.Second.Duration);
        Assert.True(hold >= TimeSpan.FromMinutes(30), $"held for {hold}");
    }

    [Fact]
    public async Task The_stress_preset_ramps_to_a_multiple_of_the_expected_load_with_looser_thresholds_than_the_load_preset()
    {
        var load = await NewAsync("load");
        var stress = await NewAsync("stress");

        var expected = load.Scenarios.Single().Executor.PeakVus;
        Assert.True(stress.Scenarios.Single().Executor.PeakVus >= 2 * expected);
        Assert.Contains(stress.Thresholds, t => t.Key.Metric == "http_req_failed" && t.Expression.ToString() == "rate<0.05");
        Assert.Contains(load.Thresholds, t => t.Key.Metric == "http_req_failed" && t.Expression.ToString() == "rate<0.01");
    }

    [Fact]
    public async Task The_breakpoint_preset_ramps_the_arrival_rate_and_aborts_on_failing_thresholds()
    {
        var plan = await NewAsync("breakpoint");

        var executor = Assert.IsType<RampingArrivalRateExecutor>(plan.Scenarios.Single().Executor);
        Assert.True(executor.Stages[^1].Target > 10 * executor.StartRate);
        Assert.All(plan.Thresholds, t => Assert.True(t.AbortOnFail, t.Key.ToString()));
    }

    [Fact]
    public async Task Without_a_type_surge_new_writes_a_quick_start_test_that_runs()
    {
        var run = await SurgeProcess.RunAsync("new", Url, "--file", Path.Combine(_folder, "test.yaml"));
        Assert.Equal(0, run.ExitCode);
        var before = _api.RequestCount;

        var test = await SurgeProcess.RunAsync("run", Path.Combine(_folder, "test.yaml"), "--vus", "1", "--iterations", "3", "--quiet");

        Assert.True(test.ExitCode == 0, test.Stdout + test.Stderr);
        Assert.Equal(3, _api.RequestCount - before);
    }

    [Fact]
    public async Task An_unknown_type_is_refused_with_exit_104_and_a_suggestion()
    {
        var run = await SurgeProcess.RunAsync("new", "spkie", Url, "--file", Path.Combine(_folder, "x.yaml"));

        Assert.Equal(104, run.ExitCode);
        Assert.Contains("unknown test type 'spkie'", run.Stderr);
        Assert.Contains("did you mean 'spike'?", run.Stderr);
        Assert.False(File.Exists(Path.Combine(_folder, "x.yaml")));
    }

    [Fact]
    public async Task A_url_that_is_not_http_is_refused_with_exit_104()
    {
        var run = await SurgeProcess.RunAsync("new", "load", "ftp://example.com/file", "--file", Path.Combine(_folder, "x.yaml"));

        Assert.Equal(104, run.ExitCode);
        Assert.Contains("'ftp://example.com/file' is not an absolute http(s) URL", run.Stderr);
    }

    [Fact]
    public async Task An_existing_file_is_kept_unless_force_is_given()
    {
        var path = Path.Combine(_folder, "mine.yaml");
        await File.WriteAllTextAsync(path, "my own test");

        var refused = await SurgeProcess.RunAsync("new", "smoke", Url, "--file", path);
        Assert.Equal(104, refused.ExitCode);
        Assert.Contains("already exists", refused.Stderr);
        Assert.Equal("my own test", await File.ReadAllTextAsync(path));

        var forced = await SurgeProcess.RunAsync("new", "smoke", Url, "--file", path, "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.StartsWith("# Smoke test", await File.ReadAllTextAsync(path));
    }
}
