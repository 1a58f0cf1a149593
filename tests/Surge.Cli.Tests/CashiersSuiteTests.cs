using System.Text.Json;
using Surge.SampleApi;

namespace Surge.Cli.Tests;

/// <summary>examples/cashiers/: the reference suite, run as the README says, and checked against the server's own counts.</summary>
public sealed class CashiersSuiteTests : IAsyncLifetime
{
    private SampleApiHost _api = null!;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions { H2cPort = 0 });

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task The_spike_profile_runs_every_persona_and_the_business_metrics_equal_what_the_server_counted()
    {
        var export = Path.Combine(Path.GetTempPath(), $"surge-cashiers-{Guid.NewGuid():N}.json");
        var environment = new Dictionary<string, string> { ["API_BASE_URL"] = _api.BaseAddress.ToString().TrimEnd('/') };

        var run = await SurgeProcess.RunWithEnvironmentAsync(environment,
            "run", ExampleTests.Example("cashiers/cashiers.yaml"), "--profile", "spike", "--quiet", "--no-color", "--summary-export", export);

        using var summary = JsonDocument.Parse(File.ReadAllText(export));
        File.Delete(export);
        var metrics = summary.RootElement.GetProperty("metrics");
        long Read(string metric, string field) => metrics.GetProperty(metric).GetProperty(field).GetInt64();

        // Latency thresholds judge this shared machine's speed, which a test must not; every other one must pass.
        var failed = ExampleTests.FailedThresholds(summary).ToList();
        Assert.True(failed.All(f => f.JudgesSpeed), $"failed: {string.Join(", ", failed.Select(f => f.Key))}\n{run.Stdout}\n{run.Stderr}");
        Assert.Equal(failed.Count == 0 ? 0 : 99, run.ExitCode);

        var server = _api.RestDomain;
        Assert.Equal(_api.RequestCount, Read("http_reqs", "count"));
        Assert.Equal(server.CashiersCreated, Read("cashier_creation_success", "passes"));
        Assert.Equal(server.InvoicesCreated, Read("invoice_creation_success", "passes"));
        Assert.Equal(server.InvoicesPaid, Read("payment_processing_time", "count"));
        // The stale writes of power users (a second "pay") and admins (an edit over their own earlier one).
        Assert.Equal(server.Conflicts, Read("concurrent_version_errors", "count"));
        Assert.True(server.Conflicts > 0);
        Assert.Equal(0, Read("cashier_creation_success", "fails") + Read("invoice_creation_success", "fails"));
        Assert.Equal((0, 0), (server.Invalid, server.PreconditionFailures));
        // Every persona ran: each one's own write reached the server.
        Assert.True(server.InvoicesImported > 0, "no power user imported");
        Assert.True(server.InvoicesCancelled > 0, "no regular user cancelled");
        Assert.True(server.CashiersDeleted > 0, "no admin offboarded");
        Assert.True(server.CashiersListed > 0, "no read-only user listed");
    }
}
