using System.Text.Json;
using Surge.Plans;
using Surge.SampleApi;

namespace Surge.Cli.Tests;

/// <summary>Every worked example in examples/ runs for a few seconds against the sample API and passes.</summary>
public sealed class ExampleTests : IAsyncLifetime
{
    private SampleApiHost _api = null!;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync() => await _api.DisposeAsync();

    internal static string Example(string name)
    {
        var folder = AppContext.BaseDirectory;
        while (!Directory.Exists(Path.Combine(folder, "examples")))
        {
            folder = Path.GetDirectoryName(folder) ?? throw new DirectoryNotFoundException("examples/ not found above the test folder");
        }
        return Path.Combine(folder, "examples", name);
    }

    [Theory]
    [InlineData("k6-style.yaml", 0)]
    [InlineData("locust-style.yaml", 0)]
    [InlineData("artillery-style.yaml", 0)]
    [InlineData("cookies-and-redirects.yaml", 0)]
    [InlineData("shop-test.cs", 1)]
    public async Task A_worked_example_runs_against_the_sample_api_and_its_correctness_thresholds_pass(string example, int verifyRequests)
    {
        var export = Path.Combine(Path.GetTempPath(), $"surge-example-{Guid.NewGuid():N}.json");

        var run = await SurgeProcess.RunAsync("run", Example(example), "--base-url", _api.BaseAddress.ToString().TrimEnd('/'),
            "--vus", "10", "--duration", "3s", "--quiet", "--summary-export", export);

        using var summary = JsonDocument.Parse(File.ReadAllText(export));
        // Thresholds on latency and throughput judge how fast this (shared, busy) machine is, which a test must not;
        // every other threshold (error rates, checks, verify) must pass, and the exit code must say what happened.
        var failed = FailedThresholds(summary).ToList();
        Assert.True(failed.All(f => f.JudgesSpeed), $"failed: {string.Join(", ", failed.Select(f => f.Key))}\n{run.Stdout}\n{run.Stderr}");
        Assert.Equal(failed.Count == 0 ? 0 : 99, run.ExitCode);
        // A verify stage reads the server's records after the load; that request is not load, so not in http_reqs.
        Assert.Equal(_api.RequestCount - verifyRequests, summary.RootElement.GetProperty("metrics").GetProperty("http_reqs").GetProperty("count").GetInt64());
    }

    /// <summary>
    /// Each failed threshold of a k6 summary export, and whether it judges speed: a trend's statistic (its metric has
    /// an avg), or a counter's per-second rate (a count and a rate, but no passes as rate metrics have).
    /// </summary>
    internal static IEnumerable<(string Key, bool JudgesSpeed)> FailedThresholds(JsonDocument summary)
    {
        foreach (var metric in summary.RootElement.GetProperty("metrics").EnumerateObject())
        {
            if (!metric.Value.TryGetProperty("thresholds", out var thresholds))
            {
                continue;
            }
            var isTrend = metric.Value.TryGetProperty("avg", out _);
            var isCounter = metric.Value.TryGetProperty("count", out _) && !metric.Value.TryGetProperty("passes", out _);
            // k6's file marks a threshold that FAILED with true.
            foreach (var threshold in thresholds.EnumerateObject().Where(t => t.Value.GetBoolean()))
            {
                yield return ($"{metric.Name} {threshold.Name}", isTrend || (isCounter && threshold.Name.StartsWith("rate", StringComparison.Ordinal)));
            }
        }
    }

    [Fact]
    public async Task The_csharp_example_runs_inside_a_unit_test_and_its_correctness_thresholds_and_verify_stage_pass()
    {
        var plan = PlanOverrides.Apply(Examples.ShopTest.Plan(), vus: 10, duration: TimeSpan.FromSeconds(3), iterations: null);
        plan = plan with { Http = plan.Http with { BaseAddress = _api.BaseAddress } };

        var result = await plan.RunAsync();

        // As above: a latency bound judges this machine's speed; the error-rate, checks and custom-rate ones must pass.
        var failed = result.Thresholds.Where(t => !t.Passed).ToList();
        Assert.True(failed.All(t => result.Find(t.Key.Metric)!.Definition.Kind == Surge.Metrics.MetricKind.Trend),
            string.Join("; ", failed.Select(t => $"{t.Key} {t.Expression.Text}: {t.Observed}")));
        Assert.Equal(failed.Count == 0, result.ThresholdsPassed);
        var orders = Assert.Single(result.Verifications);
        Assert.True(orders.Acknowledged > 0);
        Assert.Equal(orders.Acknowledged, orders.OnServer);
        Assert.Equal(_api.RequestCount - 1, (long)result.Find("http_reqs")!.Total.Sum); // the verify stage's GET /orders is not load
    }
}
