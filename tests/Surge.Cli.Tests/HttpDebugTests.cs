using System.Text.Json;
using Surge.SampleApi;

namespace Surge.Cli.Tests;

/// <summary>`--http-debug[=full]`: every exchange printed to stderr, as k6 does, without changing what is measured.</summary>
public sealed class HttpDebugTests : IAsyncLifetime
{
    private SampleApiHost _api = null!;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static int Occurrences(string text, string part) => text.Split(part).Length - 1;

    [Fact]
    public async Task Bare_http_debug_prints_each_request_and_response_head_and_no_body()
    {
        var file = SurgeProcess.WriteTestFile($"""
            scenarios:
              debug:
                executor: shared-iterations
                vus: 1
                iterations: 3
                requests:
                  - url: {_api.BaseAddress}health
                    headers:
                      X-Trace: abc
            """);

        var run = await SurgeProcess.RunAsync("run", "--http-debug", file, "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(3, _api.RequestCount);
        var stderr = run.Stderr.ReplaceLineEndings("\n");
        Assert.Equal(3, Occurrences(stderr, "Request:\nGET /health HTTP/1.1\n"));
        Assert.Equal(3, Occurrences(stderr, "X-Trace: abc\n"));
        Assert.Equal(3, Occurrences(stderr, "Response:\nHTTP/1.1 200 OK\n"));
        Assert.DoesNotContain("\nok\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Full_http_debug_prints_bodies_cut_at_64_KB_and_measures_the_whole_response()
    {
        var summary = Path.Combine(Path.GetTempPath(), $"surge-debug-{Guid.NewGuid():N}.json");
        var url = $"{_api.BaseAddress}bytes/100000";

        var run = await SurgeProcess.RunAsync("run", url, "-i", "1", "--http-debug=full", "--quiet", "--summary-export", summary);

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, _api.RequestCount);
        Assert.Contains("Request:\nGET /bytes/100000 HTTP/1.1\n", run.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("(body cut at 65536 of 100000 bytes)", run.Stderr, StringComparison.Ordinal);
        var metrics = JsonDocument.Parse(File.ReadAllText(summary)).RootElement.GetProperty("metrics");
        Assert.True(metrics.GetProperty("data_received").GetProperty("count").GetInt64() > 100_000);
        Assert.Equal(0, metrics.GetProperty("http_req_failed").GetProperty("value").GetDouble());
        File.Delete(summary);
    }

    [Fact]
    public async Task A_request_body_is_printed_with_full()
    {
        var run = await SurgeProcess.RunAsync("run", $"{_api.BaseAddress}health", "-i", "1", "-m", "POST", "--body", "{\"hello\":\"debug\"}", "-T", "application/json", "--http-debug=full", "--quiet");

        Assert.Contains("Request:\nPOST /health HTTP/1.1\n", run.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Content-Type: application/json\n", run.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("\n{\"hello\":\"debug\"}\n", run.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Response:\nHTTP/1.1 405", run.Stderr.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_http_debug_level_is_a_usage_error()
    {
        var run = await SurgeProcess.RunAsync("run", "--http-debug=bodies", $"{_api.BaseAddress}health", "-i", "1");

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("bodies", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }
}
