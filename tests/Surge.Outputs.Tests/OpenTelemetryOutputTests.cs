using System.Globalization;
using Surge.Outputs.Tests.Otlp;
using Surge.Outputs.Tests.Support;
using Surge.Plans;
using Surge.Tests.Support;

namespace Surge.Outputs.Tests;

public sealed class OpenTelemetryOutputTests : IAsyncLifetime
{
    private OtlpReceiver _receiver = null!;

    public async Task InitializeAsync() => _receiver = await OtlpReceiver.StartAsync();

    public async Task DisposeAsync() => await _receiver.DisposeAsync();

    private static OpenTelemetryOutput Output(Dictionary<string, string> environment) =>
        new("opentelemetry", OpenTelemetryOptions.From("opentelemetry", environment));

    private double CounterTotal(string metric, string testid, string? condition = null) =>
        _receiver.Last(metric)!.Sum.DataPoints
            .Where(p => OtlpReceiver.Has(p.Attributes, "testid", testid) && (condition is null || OtlpReceiver.Has(p.Attributes, "condition", condition)))
            .Sum(p => p.HasAsDouble ? p.AsDouble : p.AsInt);

    [Fact]
    public async Task Over_grpc_the_collector_receives_k6s_names_with_units_and_counts_equal_to_the_servers()
    {
        using var server = new CannedResponseServer();
        var testid = Runs.NewTestId();
        using var output = Output(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.GrpcEndpoint.ToString(), ["K6_OTEL_EXPORT_INTERVAL"] = "1s" });

        var summary = await TestRun.RunAsync(Runs.ThreeSeconds(server, testid), new RunSettings { Outputs = [output] });

        Assert.Empty(summary.Warnings);
        Assert.True(_receiver.Received.Count >= 2, $"{_receiver.Received.Count} exports at a 1 s interval over a 3 s run");
        Assert.True(server.Requests > 0);
        var reqs = _receiver.Last("http_reqs")!;
        Assert.Equal(Metric.DataOneofCase.Sum, reqs.DataCase);
        Assert.True(reqs.Sum.IsMonotonic);
        Assert.Equal(AggregationTemporality.Cumulative, reqs.Sum.AggregationTemporality);
        Assert.Equal(server.Requests, CounterTotal("http_reqs", testid));
        Assert.Equal(server.Requests, CounterTotal("iterations", testid));
        Assert.Equal(Runs.Count(summary, "data_received"), CounterTotal("data_received", testid));
        Assert.Equal("By", _receiver.Last("data_received")!.Unit);
        // k6's rate: one counter, split by a condition attribute.
        Assert.Equal(server.Requests, CounterTotal("http_req_failed", testid, "zero"));
        Assert.Equal(0, CounterTotal("http_req_failed", testid, "nonzero"));
        var duration = _receiver.Last("http_req_duration")!;
        Assert.Equal("ms", duration.Unit);
        Assert.Equal(AggregationTemporality.Cumulative, duration.Histogram.AggregationTemporality);
        Assert.Equal((ulong)server.Requests, (ulong)duration.Histogram.DataPoints.Where(p => OtlpReceiver.Has(p.Attributes, "testid", testid)).Sum(p => (double)p.Count));
        var total = summary.Find("http_req_duration")!.Total;
        Assert.Equal(total.Histogram!.Sum / 1000.0, duration.Histogram.DataPoints.Sum(p => p.Sum), total.Histogram.Sum / 1000.0 / 1000);
        Assert.Equal(Metric.DataOneofCase.Gauge, _receiver.Last("vus_max")!.DataCase);
        var resource = _receiver.Received[^1].Request.ResourceMetrics[0];
        Assert.True(OtlpReceiver.Has(resource.Resource.Attributes, "service.name", "surge"));
        Assert.Equal("surge", resource.ScopeMetrics[0].Scope.Name);
    }

    [Fact]
    public async Task Over_http_protobuf_the_final_flush_alone_delivers_the_whole_run_with_the_configured_headers()
    {
        using var server = new CannedResponseServer();
        var testid = Runs.NewTestId();
        // The default 10 s export interval is longer than the run: only the final flush sends anything.
        using var output = Output(new()
        {
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _receiver.HttpEndpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-api-key=s3cret,x-tenant=load%20tests",
            ["K6_OTEL_METRIC_PREFIX"] = "k6_",
        });

        var summary = await TestRun.RunAsync(Runs.ThreeSeconds(server, testid), new RunSettings { Outputs = [output] });

        Assert.Empty(summary.Warnings);
        var (_, headers) = Assert.Single(_receiver.Received);
        Assert.Equal("s3cret", headers["x-api-key"]);
        Assert.Equal("load tests", headers["x-tenant"]);
        Assert.Equal(server.Requests, CounterTotal("k6_http_reqs", testid));
        Assert.Null(_receiver.Last("http_reqs"));
    }

    [Fact]
    public async Task A_collector_that_refuses_connections_costs_no_count_and_its_failed_exports_are_reported()
    {
        using var server = new CannedResponseServer();
        var refusing = Backend.FreePort().ToString(CultureInfo.InvariantCulture);
        using var output = Output(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{refusing}", ["OTEL_EXPORTER_OTLP_TIMEOUT"] = "1000" });

        var summary = await TestRun.RunAsync(Runs.FixedIterations(server), new RunSettings { Outputs = [output], OutputFlushTimeout = TimeSpan.FromSeconds(3) });

        Assert.Equal(300, server.Requests);
        Assert.Equal(300, Runs.Count(summary, "http_reqs"));
        Assert.True(summary.ThresholdsPassed);
        var warning = Assert.Single(summary.Warnings);
        Assert.StartsWith("output opentelemetry: 1 of 1 batches dropped (the OTLP export to http://127.0.0.1:", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void The_endpoint_comes_from_k6s_variables_first_then_the_standard_ones_and_http_adds_the_metrics_path()
    {
        static OpenTelemetryOptions From(Dictionary<string, string> environment) => OpenTelemetryOptions.From("opentelemetry", environment);

        Assert.Equal(("grpc", "http://localhost:4317/"), (From([]).Protocol, From([]).Endpoint.ToString()));
        Assert.Equal("http://localhost:4318/v1/metrics", From(new() { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf" }).Endpoint.ToString());
        Assert.Equal("http://collector:4318/v1/metrics", From(new() { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf", ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector:4318/" }).Endpoint.ToString());
        Assert.Equal("http://collector:9999/custom", From(new() { ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf", ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://other:4318", ["OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"] = "http://collector:9999/custom" }).Endpoint.ToString());
        Assert.Equal("https://collector:4317/", From(new() { ["K6_OTEL_GRPC_EXPORTER_ENDPOINT"] = "collector:4317", ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://other:4317" }).Endpoint.ToString());
        Assert.Equal("http://collector:4318/v1/metrics", From(new() { ["K6_OTEL_EXPORTER_PROTOCOL"] = "http/protobuf", ["K6_OTEL_HTTP_EXPORTER_ENDPOINT"] = "collector:4318", ["K6_OTEL_HTTP_EXPORTER_INSECURE"] = "true" }).Endpoint.ToString());
        Assert.Equal(TimeSpan.FromSeconds(10), From([]).ExportInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), From(new() { ["OTEL_METRIC_EXPORT_INTERVAL"] = "2000" }).ExportInterval);
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json", "-o opentelemetry: OTEL_EXPORTER_OTLP_PROTOCOL='http/json' is not valid; expected grpc or http/protobuf")]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "collector:4317", "-o opentelemetry: OTEL_EXPORTER_OTLP_ENDPOINT 'collector:4317' is not an absolute http(s) URL")]
    [InlineData("OTEL_EXPORTER_OTLP_TIMEOUT", "10s", "-o opentelemetry: OTEL_EXPORTER_OTLP_TIMEOUT='10s' is not valid; expected a positive number of milliseconds")]
    [InlineData("K6_OTEL_EXPORT_INTERVAL", "soon", "-o opentelemetry: K6_OTEL_EXPORT_INTERVAL='soon' is not valid")]
    public void A_bad_variable_is_an_invalid_test_naming_it(string variable, string value, string message)
    {
        var error = Assert.Throws<PlanException>(() => OpenTelemetryOptions.From("opentelemetry", new Dictionary<string, string> { [variable] = value }));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }
}
