using System.Globalization;
using System.Text.Json;
using System.Xml.Linq;
using Surge.SampleApi;

namespace Surge.Cli.Tests;

public sealed class OutputFlagTests : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("surge-outputs-");
    private SampleApiHost _api = null!;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync()
    {
        await _api.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private string Base => _api.BaseAddress.ToString().TrimEnd('/');

    private string In(string name) => Path.Combine(_directory.FullName, name);

    private static double NdjsonSum(string path, string metric) => File.ReadLines(path)
        .Select(line => JsonDocument.Parse(line).RootElement)
        .Where(line => line.GetProperty("type").GetString() == "Point" && line.GetProperty("metric").GetString() == metric)
        .Sum(line => line.GetProperty("data").GetProperty("value").GetDouble());

    /// <summary>The Aggregated row's Request Count in PREFIX_stats.csv.</summary>
    private static long AggregatedRequests(string prefix) =>
        long.Parse(File.ReadLines(prefix + "_stats.csv").Last().Split(',')[2], CultureInfo.InvariantCulture);

    [Fact]
    public async Task Json_csv_and_junit_outputs_count_what_the_server_counted()
    {
        var file = SurgeProcess.WriteTestFile($"""
            options:
              baseUrl: {Base}
            thresholds:
              http_req_duration: ["p(95)<5000"]
            scenarios:
              hits:
                executor: shared-iterations
                vus: 5
                iterations: 120
                requests:
                  - name: item
                    url: /items/1
            """);

        var run = await SurgeProcess.RunAsync("run", file, "--quiet", "--out", $"json={In("points.ndjson")}",
            "--csv", In("csv/run"), "--junit", In("junit.xml"));

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(120, _api.RequestCount);
        Assert.Equal(_api.RequestCount, NdjsonSum(In("points.ndjson"), "http_reqs"));
        Assert.Equal(_api.RequestCount, AggregatedRequests(In("csv/run")));
        var lastHistoryRow = File.ReadLines(In("csv/run_stats_history.csv")).Last().Split(',');
        Assert.Equal(_api.RequestCount, long.Parse(lastHistoryRow[17], CultureInfo.InvariantCulture));
        Assert.Equal(["Method,Name,Error,Occurrences"], File.ReadLines(In("csv/run_failures.csv")));
        var junit = XDocument.Load(In("junit.xml")).Root!;
        var threshold = Assert.Single(junit.Descendants("testcase"));
        Assert.Equal("http_req_duration p(95)<5000", (string)threshold.Attribute("name")!);
        Assert.Null(threshold.Element("failure"));
    }

    [Fact]
    public async Task An_interrupted_run_still_writes_every_output()
    {
        using var surge = SurgeProcess.Start(workingDirectory: null, "run", "--vus", "2", "--duration", "5m", $"{Base}/health", "--quiet",
            "--out", $"json={In("points.ndjson")}", "--csv", In("run"), "--junit", In("junit.xml"));
        await surge.WaitUntilAsync(() => _api.RequestCount >= 50, "the server counted 50 requests");

        surge.Signal("TERM");
        var run = await surge.ExitAsync();

        Assert.Equal(105, run.ExitCode);
        Assert.Equal(_api.RequestCount, NdjsonSum(In("points.ndjson"), "http_reqs"));
        Assert.Equal(_api.RequestCount, AggregatedRequests(In("run")));
        Assert.Equal("testsuites", XDocument.Load(In("junit.xml")).Root!.Name.LocalName);
    }

    [Theory]
    [InlineData("statsd=127.0.0.1:8125", "unknown output 'statsd'; Surge writes json=FILE, prometheus-rw[=URL]")]
    [InlineData("json", "say where to write")]
    [InlineData("prometheus-rw=localhost:9090/api/v1/write", "-o prometheus-rw: the URL 'localhost:9090/api/v1/write' is not an absolute http(s) URL")]
    [InlineData("influxdb=ftp://127.0.0.1:8086/k6", "-o influxdb: the URL 'ftp://127.0.0.1:8086/k6' is not an absolute http(s) URL")]
    [InlineData("influxdb=http://127.0.0.1:8086/a/b", "names the database 'a/b'; write http://HOST:8086/DATABASE")]
    [InlineData("prometheus-rw=", "nothing after '='")]
    [InlineData("hdrlog", "say where to write, e.g. -o hdrlog=latency.hlog")]
    [InlineData("hdrlog=/dev/null/latency.hlog", "-o hdrlog=/dev/null/latency.hlog: cannot write there: ")]
    [InlineData("prometheus=example.com:5656", "-o prometheus=example.com:5656: not HOST:PORT")]
    [InlineData("opentelemetry=http://127.0.0.1:4317", "opentelemetry takes no argument; it reads OTEL_EXPORTER_OTLP_ENDPOINT")]
    public async Task An_out_flag_Surge_cannot_honor_exits_104_before_any_request(string flag, string message)
    {
        var run = await SurgeProcess.RunAsync("run", "--vus", "1", "--iterations", "5", $"{Base}/health", "--out", flag);

        Assert.Equal(104, run.ExitCode);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }

    [Fact]
    public async Task A_metrics_endpoint_and_an_hdr_log_come_with_a_run_and_the_endpoint_says_where_to_scrape()
    {
        var run = await SurgeProcess.RunAsync("run", "--vus", "2", "--iterations", "40", $"{Base}/health", "--quiet",
            "-o", "prometheus=127.0.0.1:0", "-o", $"hdrlog={In("latency.hlog")}");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(40, _api.RequestCount);
        Assert.Matches(@"prometheus: scrape http://127\.0\.0\.1:\d+/metrics", run.Stderr);
        Assert.Contains(File.ReadLines(In("latency.hlog")), line => line.StartsWith("Tag=http_req_duration,", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_prometheus_that_refuses_connections_changes_neither_the_count_nor_the_exit_code_and_the_summary_names_the_drop()
    {
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        closed.Stop(); // nobody listens there now

        var run = await SurgeProcess.RunAsync("run", "--vus", "2", "--iterations", "40", $"{Base}/health", "--quiet",
            "-o", $"prometheus-rw=http://127.0.0.1:{port}/api/v1/write", "--tag", "testid=refused", "--out", $"json={In("points.ndjson")}");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(40, _api.RequestCount);
        Assert.Equal(40, NdjsonSum(In("points.ndjson"), "http_reqs"));
        Assert.Matches(@"output prometheus-rw: (\d+) of \1 batches dropped \(connection_refused\)", run.Stdout);
        Assert.All(File.ReadLines(In("points.ndjson")).Select(line => JsonDocument.Parse(line).RootElement)
                .Where(line => line.GetProperty("type").GetString() == "Point" && line.GetProperty("metric").GetString() == "http_reqs"),
            point => Assert.Equal("refused", point.GetProperty("data").GetProperty("tags").GetProperty("testid").GetString()));
    }

    [Fact]
    public async Task A_bad_k6_output_variable_or_tag_exits_104_naming_it_before_any_request()
    {
        var badStats = await SurgeProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["K6_PROMETHEUS_RW_TREND_STATS"] = "p(95),p95" },
            "run", "--vus", "1", "--iterations", "5", $"{Base}/health", "-o", "prometheus-rw=http://127.0.0.1:9/api/v1/write");
        var badTag = await SurgeProcess.RunAsync("run", "--vus", "1", "--iterations", "5", $"{Base}/health", "--tag", "testid");

        Assert.Equal(104, badStats.ExitCode);
        Assert.Contains("K6_PROMETHEUS_RW_TREND_STATS has 'p95', which is not a trend statistic", badStats.Stderr, StringComparison.Ordinal);
        Assert.Equal(104, badTag.ExitCode);
        Assert.Contains("--tag 'testid' is not NAME=VALUE", badTag.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }
}
