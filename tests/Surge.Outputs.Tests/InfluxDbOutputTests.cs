using System.Globalization;
using Surge.Outputs.Tests.Support;
using Surge.Tests.Support;

namespace Surge.Outputs.Tests;

public sealed class InfluxDbOutputTests : IAsyncLifetime
{
    private Backend _influx = null!;

    public async Task InitializeAsync() => _influx = await Backend.InfluxDbAsync();

    public Task DisposeAsync()
    {
        _influx.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Summing_http_reqs_values_for_a_testid_gives_the_servers_request_count_in_a_database_surge_created()
    {
        using var server = new CannedResponseServer();
        var testid = Runs.NewTestId();
        using var output = new InfluxDbOutput("influxdb", InfluxDbOptions.From(
            "influxdb", $"http://127.0.0.1:{_influx.Port.ToString(CultureInfo.InvariantCulture)}/surge_test", new Dictionary<string, string>()));

        var summary = await TestRun.RunAsync(Runs.ThreeSeconds(server, testid), new RunSettings { Outputs = [output] });

        Assert.Empty(summary.Warnings);
        Assert.True(server.Requests > 0);
        double Sum(IReadOnlyList<Dictionary<string, System.Text.Json.JsonElement>> rows) => Assert.Single(rows)["sum"].GetDouble();
        Assert.Equal(server.Requests, Sum(await _influx.InfluxQueryAsync("surge_test", $"SELECT sum(\"value\") FROM \"http_reqs\" WHERE \"testid\" = '{testid}'")));
        Assert.Equal(server.Requests, Sum(await _influx.InfluxQueryAsync("surge_test", $"SELECT sum(\"count\") FROM \"http_req_duration\" WHERE \"testid\" = '{testid}'")));
        Assert.Equal(Runs.Count(summary, "data_sent"), Sum(await _influx.InfluxQueryAsync("surge_test", $"SELECT sum(\"value\") FROM \"data_sent\" WHERE \"testid\" = '{testid}'")));
        Assert.Equal(0, Sum(await _influx.InfluxQueryAsync("surge_test", $"SELECT sum(\"passes\") FROM \"http_req_failed\" WHERE \"testid\" = '{testid}'")));
        var statuses = await _influx.InfluxQueryAsync("surge_test", $"SHOW TAG VALUES FROM \"http_reqs\" WITH KEY = \"status\" WHERE \"testid\" = '{testid}'");
        Assert.Equal("200", Assert.Single(statuses)["value"].GetString());
    }
}
