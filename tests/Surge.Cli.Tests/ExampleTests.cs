using System.Text.Json;
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
    [InlineData("k6-style.yaml")]
    [InlineData("locust-style.yaml")]
    [InlineData("artillery-style.yaml")]
    public async Task A_worked_example_runs_against_the_sample_api_and_passes(string example)
    {
        var export = Path.Combine(Path.GetTempPath(), $"surge-example-{Guid.NewGuid():N}.json");

        var run = await SurgeProcess.RunAsync("run", Example(example), "--base-url", _api.BaseAddress.ToString().TrimEnd('/'),
            "--vus", "10", "--duration", "3s", "--quiet", "--summary-export", export);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}\n{run.Stdout}\n{run.Stderr}");
        using var summary = JsonDocument.Parse(File.ReadAllText(export));
        Assert.Equal(_api.RequestCount, summary.RootElement.GetProperty("metrics").GetProperty("http_reqs").GetProperty("count").GetInt64());
    }
}
