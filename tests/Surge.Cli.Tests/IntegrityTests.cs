using Surge.SampleApi;

namespace Surge.Cli.Tests;

public sealed class IntegrityTests
{
    private static string WriteHeavyTest(Uri api) => SurgeProcess.WriteTestFile($$"""
        options:
          baseUrl: {{api}}
        thresholds:
          checks: ["rate==1"]
        verify:
          - { ledger: orders, get: /orders, idField: id }
        scenarios:
          writers:
            executor: shared-iterations
            vus: 16
            iterations: 300
            requests:
              - post: /orders
                json: { itemId: 1, quantity: 1 }
                expectedStatuses: [201]
                capture:
                  - { var: orderId, jsonPath: $.id, ledger: orders }
        """);

    [Fact]
    public async Task The_naive_json_file_store_is_caught_losing_or_duplicating_acknowledged_writes()
    {
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions { Store = StoreKind.JsonFile });

        var run = await SurgeProcess.RunAsync("run", WriteHeavyTest(api.BaseAddress), "--quiet");

        Assert.True(run.ExitCode == 99, $"exit {run.ExitCode}; stdout:\n{run.Stdout}\nstderr:\n{run.Stderr}");
        Assert.Contains("✗ verify orders: ", run.Stdout, StringComparison.Ordinal); // lost writes, repeated ids, or both
        Assert.Contains("300 writes acknowledged", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_safe_store_keeps_every_acknowledged_write_exactly_once()
    {
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions { Store = StoreKind.Safe });

        var run = await SurgeProcess.RunAsync("run", WriteHeavyTest(api.BaseAddress), "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("✓ verify orders: every acknowledged write is on the server", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ verify orders: no id acknowledged twice", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ verify orders: no duplicates on the server", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_integrity_demo_shows_corruption_on_the_json_file_store_and_none_on_the_safe_store()
    {
        var run = await SurgeProcess.RunAsync("demo", "integrity", "--no-color");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}; stdout:\n{run.Stdout}");
        Assert.Contains("json-file store: corruption found", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("safe store: every acknowledged write is on the server exactly once", run.Stdout, StringComparison.Ordinal);
    }
}
