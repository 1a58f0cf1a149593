using Surge.SampleApi;

namespace Surge.Cli.Tests;

public sealed class IntegrityTests
{
    private const int Writes = 300;

    private static string WriteHeavyTest(Uri api, string verify = "{ ledger: orders, get: /orders, idField: id }") => SurgeProcess.WriteTestFile($$"""
        options:
          baseUrl: {{api}}
        thresholds:
          checks: ["rate==1"]
        verify:
          - {{verify}}
        scenarios:
          writers:
            executor: shared-iterations
            vus: 16
            iterations: {{Writes}}
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
    public async Task The_sqlite_store_keeps_every_acknowledged_write_exactly_once()
    {
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions { Store = StoreKind.Sqlite });

        var run = await SurgeProcess.RunAsync("run", WriteHeavyTest(api.BaseAddress), "--quiet");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}; stdout:\n{run.Stdout}\nstderr:\n{run.Stderr}");
        Assert.Contains("✓ verify orders: every acknowledged write is on the server", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ verify orders: no id acknowledged twice", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("✓ verify orders: no duplicates on the server", run.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    // 300 orders in pages of 50 are 6 pages, and a 7th, empty, ends the list.
    [InlineData("{ ledger: orders, get: /orders, paging: { page: page, limit: limit, size: 50 } }", 7)]
    // Without paging, the Link rel="next" headers are followed: pages of 40 are 8, the last without a link.
    [InlineData("{ ledger: orders, get: /orders?limit=40 }", 8)]
    public async Task A_ledger_longer_than_one_page_is_verified_completely_page_by_page(string verify, int pagesRead)
    {
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions { Store = StoreKind.Sqlite });

        var run = await SurgeProcess.RunAsync("run", WriteHeavyTest(api.BaseAddress, verify), "--quiet");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}; stdout:\n{run.Stdout}\nstderr:\n{run.Stderr}");
        Assert.Contains("✓ verify orders: every acknowledged write is on the server", run.Stdout, StringComparison.Ordinal);
        // The server's own count: every write, and one GET per page the verify stage read.
        Assert.Equal(Writes + pagesRead, api.RequestCount);
    }

    [Fact]
    public async Task The_integrity_demo_shows_corruption_on_the_json_file_store_and_none_on_the_sqlite_store()
    {
        var run = await SurgeProcess.RunAsync("demo", "integrity", "--no-color");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}; stdout:\n{run.Stdout}");
        Assert.Contains("json-file store: corruption found", run.Stdout, StringComparison.Ordinal);
        Assert.Contains("sqlite store: every acknowledged write is on the server exactly once", run.Stdout, StringComparison.Ordinal);
    }
}
