using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Surge.Outputs.Tests.Support;
using Surge.Plans;
using Surge.Tests.Support;

namespace Surge.Outputs.Tests;

public sealed class PrometheusEndpointTests
{
    private static PrometheusEndpointOutput Endpoint(int port = 0) =>
        PrometheusEndpointOutput.Start("prometheus", new PrometheusEndpointOptions(IPAddress.Loopback, port) { TrendStats = ["p(95)", "count"] });

    /// <summary>Polls a query until it gives <paramref name="expected"/> (the last scrape may still be ingesting), for at most 20 s.</summary>
    private static async Task<double> EventuallyAsync(Backend prometheus, string query, double expected)
    {
        var value = double.NaN;
        for (var attempt = 0; attempt < 200 && value != expected; attempt++)
        {
            var result = await prometheus.PromQueryAsync(query);
            value = result.Count == 1 ? result[0].Value : double.NaN;
            if (value != expected)
            {
                await Task.Delay(100);
            }
        }
        return value;
    }

    [Fact]
    public async Task A_real_prometheus_scraping_during_the_run_sums_k6_http_reqs_total_to_the_servers_count()
    {
        using var server = new CannedResponseServer();
        var port = Backend.FreePort();
        using var endpoint = Endpoint(port);
        using var prometheus = await Backend.PrometheusAsync(scrape: $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var testid = Runs.NewTestId();
        // As where Prometheus already runs: it has found the target before the load starts.
        for (var wait = 0; wait < 200 && endpoint.Scrapes == 0; wait++)
        {
            await Task.Delay(100);
        }

        var summary = await TestRun.RunAsync(Runs.ThreeSeconds(server, testid), new RunSettings { Outputs = [endpoint] });

        Assert.Empty(summary.Warnings);
        Assert.True(endpoint.FinalTotalsScraped); // the run waited for Prometheus's next scrape after the load
        Assert.True(server.Requests > 0);
        // The endpoint serves until it is disposed, as the CLI's until it exits: the final totals are there to scrape.
        Assert.Equal(server.Requests, await EventuallyAsync(prometheus, $"sum(k6_http_reqs_total{{testid=\"{testid}\"}})", server.Requests));
        Assert.Equal(server.Requests, await EventuallyAsync(prometheus, $"sum(k6_http_req_duration_seconds_count{{testid=\"{testid}\"}})", server.Requests));
        Assert.Equal(server.Requests, await EventuallyAsync(prometheus, $"sum(k6_http_req_duration_count{{testid=\"{testid}\"}})", server.Requests));
        Assert.Equal(1, await EventuallyAsync(prometheus, "up{job=\"surge\"}", 1));
        var p95 = Runs.P95Seconds(summary);
        Assert.Equal(p95, (await prometheus.PromQueryAsync($"k6_http_req_duration_p95{{testid=\"{testid}\"}}")).Single().Value, 9);
        var lower = PrometheusMapping.SecondsBuckets.LastOrDefault(b => b < p95 / (1 + (1.0 / 1024)));
        var upper = PrometheusMapping.SecondsBuckets.First(b => b >= p95 * (1 + (1.0 / 1024)));
        var overRun = (await prometheus.PromQueryAsync($"histogram_quantile(0.95, sum by (le) (k6_http_req_duration_seconds_bucket{{testid=\"{testid}\"}}))")).Single().Value;
        Assert.InRange(overRun, lower, upper);
    }

    [Fact]
    public async Task The_exposition_groups_each_family_under_one_type_line_and_escapes_label_values()
    {
        using var server = new CannedResponseServer();
        using var endpoint = Endpoint();
        using var client = new HttpClient();

        await TestRun.RunAsync(Runs.FixedIterations(server) with { Tags = new Dictionary<string, string> { ["note"] = "a \"quoted\\path\"\nline" } },
            new RunSettings { Outputs = [endpoint] });
        using var response = await client.GetAsync(endpoint.Url);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var types = lines.Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).ToList();
        Assert.Equal(types.Distinct(), types);
        Assert.Contains("# TYPE k6_http_reqs_total counter", lines);
        Assert.Contains("# TYPE k6_http_req_duration_seconds histogram", lines);
        Assert.Contains("# TYPE k6_http_req_duration_p95 gauge", lines);
        var reqs = Assert.Single(lines, l => l.StartsWith("k6_http_reqs_total{", StringComparison.Ordinal));
        Assert.Contains("note=\"a \\\"quoted\\\\path\\\"\\nline\"", reqs, StringComparison.Ordinal);
        Assert.EndsWith(" 300", reqs, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("k6_http_req_duration_seconds_bucket{", StringComparison.Ordinal) && l.Contains("le=\"+Inf\"", StringComparison.Ordinal) && l.EndsWith(" 300", StringComparison.Ordinal));
        // Each family's samples sit together right under its TYPE line.
        var family = "";
        foreach (var line in lines)
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                family = line.Split(' ')[2];
            }
            else
            {
                Assert.StartsWith(family, line, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Clients_that_connect_and_never_read_or_never_ask_neither_stall_nor_change_the_run()
    {
        using var server = new CannedResponseServer();
        using var endpoint = Endpoint();
        var port = endpoint.Url.Port;
        using var silent = new TcpClient();
        await silent.ConnectAsync(IPAddress.Loopback, port);
        using var hoarder = new TcpClient { ReceiveBufferSize = 1024 };
        await hoarder.ConnectAsync(IPAddress.Loopback, port);
        var request = Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        var stream = hoarder.GetStream();
        for (var i = 0; i < 200; i++)
        {
            await stream.WriteAsync(request); // pipelined requests whose answers are never read
        }

        var without = await TestRun.RunAsync(Runs.FixedIterations(server));
        var with = await TestRun.RunAsync(Runs.FixedIterations(server), new RunSettings { Outputs = [endpoint], OutputFlushTimeout = TimeSpan.FromSeconds(2) });

        Assert.Equal(600, server.Requests);
        Assert.Equal(Runs.Count(without, "http_reqs"), Runs.Count(with, "http_reqs"));
        Assert.Equal((without.Outcome, without.ThresholdsPassed), (with.Outcome, with.ThresholdsPassed));
        Assert.Empty(with.Warnings);
        using var client = new HttpClient();
        Assert.Contains("k6_http_reqs_total{", await client.GetStringAsync(endpoint.Url), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("5656", "not HOST:PORT")]
    [InlineData("example.com:5656", "not HOST:PORT")]
    [InlineData("127.0.0.1:99999", "not HOST:PORT")]
    [InlineData("::1:5656", "not HOST:PORT")]
    public void An_address_that_is_not_host_and_port_is_an_invalid_test(string argument, string message)
    {
        var error = Assert.Throws<PlanException>(() => PrometheusEndpointOptions.From("prometheus", argument, new Dictionary<string, string>()));

        Assert.StartsWith($"-o prometheus={argument}: {message}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Loopback_is_the_default_and_other_addresses_are_taken_only_when_written()
    {
        var none = new Dictionary<string, string>();

        var byDefault = PrometheusEndpointOptions.From("prometheus", null, none);
        Assert.Equal((IPAddress.Loopback, 5656), (byDefault.Host, byDefault.Port));
        Assert.Equal(IPAddress.Loopback, PrometheusEndpointOptions.From("prometheus", ":9000", none).Host);
        Assert.Equal(IPAddress.Loopback, PrometheusEndpointOptions.From("prometheus", "localhost:9000", none).Host);
        Assert.Equal(IPAddress.Any, PrometheusEndpointOptions.From("prometheus", "0.0.0.0:9000", none).Host);
        Assert.Equal(IPAddress.IPv6Loopback, PrometheusEndpointOptions.From("prometheus", "[::1]:9000", none).Host);
    }

    [Fact]
    public void A_port_already_taken_is_an_invalid_test_naming_the_address()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = Assert.Throws<PlanException>(() => Endpoint(port));

        Assert.StartsWith($"-o prometheus=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}: cannot listen there: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_address_that_is_not_this_machines_is_an_invalid_test_naming_it()
    {
        // 192.0.2.1 is TEST-NET-1: documentation only, never an address of this machine.
        var error = Assert.Throws<PlanException>(() => PrometheusEndpointOutput.Start("prometheus", new PrometheusEndpointOptions(IPAddress.Parse("192.0.2.1"), 5656)));

        Assert.StartsWith("-o prometheus=192.0.2.1:5656: cannot listen there: ", error.Message, StringComparison.Ordinal);
    }
}
