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

    private static string Example(string name)
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
    [InlineData("shop-test.cs", 1)]
    public async Task A_worked_example_runs_against_the_sample_api_and_passes(string example, int verifyRequests)
    {
        var export = Path.Combine(Path.GetTempPath(), $"surge-example-{Guid.NewGuid():N}.json");

        var run = await SurgeProcess.RunAsync("run", Example(example), "--base-url", _api.BaseAddress.ToString().TrimEnd('/'),
            "--vus", "10", "--duration", "3s", "--quiet", "--summary-export", export);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        using var summary = JsonDocument.Parse(File.ReadAllText(export));
        // A verify stage reads the server's records after the load; that request is not load, so not in http_reqs.
        Assert.Equal(_api.RequestCount - verifyRequests, summary.RootElement.GetProperty("metrics").GetProperty("http_reqs").GetProperty("count").GetInt64());
    }

    [Fact]
    public async Task The_csharp_example_runs_inside_a_unit_test_and_its_thresholds_and_verify_stage_pass()
    {
        var plan = PlanOverrides.Apply(Examples.ShopTest.Plan(), vus: 10, duration: TimeSpan.FromSeconds(3), iterations: null);
        plan = plan with { Http = plan.Http with { BaseAddress = _api.BaseAddress } };

        var result = await plan.RunAsync();

        Assert.True(result.ThresholdsPassed, string.Join("; ", result.Thresholds.Select(t => $"{t.Key} {t.Expression.Text}: {t.Observed}")));
        var orders = Assert.Single(result.Verifications);
        Assert.True(orders.Acknowledged > 0);
        Assert.Equal(orders.Acknowledged, orders.OnServer);
        Assert.Equal(_api.RequestCount - 1, (long)result.Find("http_reqs")!.Total.Sum); // the verify stage's GET /orders is not load
    }
}
