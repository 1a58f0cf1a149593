using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Surge.Outputs.Tests.Support;
using Surge.Results;
using Surge.Tests.Support;

namespace Surge.Outputs.Tests;

public sealed class DeadBackendTests
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task A_backend_that_refuses_or_never_answers_changes_no_count_and_no_outcome_and_its_drops_are_reported()
    {
        using var server = new CannedResponseServer();
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections into its backlog and never answers
        var silentPort = ((IPEndPoint)silent.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        var refusing = Backend.FreePort().ToString(CultureInfo.InvariantCulture);
        var fast = new Dictionary<string, string> { ["K6_PROMETHEUS_RW_PUSH_INTERVAL"] = "1s" };
        using var refused = new PrometheusRemoteWriteOutput("prometheus-rw", PrometheusRemoteWriteOptions.From("prometheus-rw", $"http://127.0.0.1:{refusing}/api/v1/write", fast));
        using var unanswered = new InfluxDbOutput("influxdb", InfluxDbOptions.From("influxdb", $"http://127.0.0.1:{silentPort}/k6", fast));

        var without = await TestRun.RunAsync(Runs.FixedIterations(server));
        var clock = Stopwatch.StartNew();
        var with = await TestRun.RunAsync(Runs.FixedIterations(server), new RunSettings { Outputs = [refused, unanswered], OutputFlushTimeout = FlushTimeout });
        var took = clock.Elapsed;

        Assert.Equal(600, server.Requests);
        Assert.Equal(300, Runs.Count(with, "http_reqs"));
        Assert.Equal(Runs.Count(without, "http_reqs"), Runs.Count(with, "http_reqs"));
        Assert.Equal(Runs.Count(without, "iterations"), Runs.Count(with, "iterations"));
        Assert.Equal((without.Outcome, without.ThresholdsPassed), (with.Outcome, with.ThresholdsPassed));
        Assert.True(with.ThresholdsPassed);
        Assert.Empty(without.Warnings);
        var prometheus = Assert.Single(with.Warnings, w => w.StartsWith("output prometheus-rw: ", StringComparison.Ordinal));
        Assert.Matches(@"^output prometheus-rw: (\d+) of \1 batches dropped \(connection_refused\)$", prometheus);
        var influx = Assert.Single(with.Warnings, w => w.StartsWith("output influxdb: ", StringComparison.Ordinal));
        Assert.Contains("the final flush did not finish within 2 s, so what it still held was dropped", influx, StringComparison.Ordinal);
        // Bounded: the load, then at most the flush timeout and the second the host gives cancelled requests to end.
        Assert.True(took < with.Duration + FlushTimeout + TimeSpan.FromSeconds(3), $"the run took {took} for {with.Duration} of load");
    }

    [Fact]
    public void A_failure_is_named_the_way_socket_errors_are()
    {
        Assert.Equal("connection_refused", OutputDeliveries.Reason(new HttpRequestException("x", new SocketException((int)SocketError.ConnectionRefused))));
        Assert.Equal("timeout", OutputDeliveries.Reason(new TaskCanceledException("x", new TimeoutException())));
        Assert.Equal("http_400: out of order sample", OutputDeliveries.Reason(new DeliveryException(HttpStatusCode.BadRequest, "http_400: out of order sample")));
    }

    [Fact]
    public void Delivered_and_dropped_batches_become_one_warning_with_their_reasons()
    {
        var deliveries = new OutputDeliveries();
        deliveries.Sent(117);
        deliveries.Drop("connection_refused", 2);
        deliveries.Drop("timeout");
        deliveries.Drop("connection_refused");

        Assert.Equal("output prometheus-rw: 4 of 121 batches dropped (connection_refused, timeout)", deliveries.Warning("prometheus-rw"));
        Assert.Null(new OutputDeliveries().Warning("influxdb"));
    }
}
