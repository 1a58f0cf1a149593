using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Surge.Metrics;
using Surge.Results;
using Surge.SampleApi;
using Surge.Thresholds;
using Surge.Yaml;

namespace Surge.Cli.Tests;

/// <summary>
/// WebSocket steps and the C# WebSocket client against the sample API in process. The server's own counts of sessions
/// and of whole messages read and written are the ground truth for ws_sessions, ws_msgs_sent and ws_msgs_received.
/// </summary>
public sealed class WebSocketTests : IAsyncLifetime
{
    private SampleApiHost _api = null!;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private Task<RunSummary> RunYamlAsync(string steps, int vus = 1, int iterations = 1) =>
        YamlPlanLoader.Parse($"""
            options:
              baseUrl: {_api.BaseAddress}
            scenarios:
              sockets:
                executor: per-vu-iterations
                vus: {vus}
                iterations: {iterations}
                requests:
            {string.Join('\n', steps.Split('\n').Select(line => "      " + line))}
            """, "ws.yaml").RunAsync();

    private static long Count(RunSummary summary, string metric, params (string Key, string Value)[] tags) =>
        CookieAndRedirectTests.Count(summary, metric, tags);

    private static long Samples(RunSummary summary, string metric) =>
        summary.Aggregate(new MetricKey(metric, TagSet.Empty))?.Samples ?? 0;

    [Fact]
    public async Task Server_side_counts_equal_the_clients_ws_messages_in_both_directions_for_a_multi_vu_yaml_run()
    {
        var summary = await RunYamlAsync("""
            - ws: /ws/echo
              name: echo
              actions:
                - send: "hello there"
                - receive: { contains: "o th" }
                  checks: [{ bodyContains: hello }]
                - sendBinary: AAECAwQ=
                - receive: any
                - send: '{"type":"order","id":7}'
                - receive: { jsonPath: $.type, equals: order }
                  capture: [{ var: orderId, jsonPath: $.id }]
                - ping
                - send: "bye {{ orderId }}"
                - receive: { equals: "bye 7" }
                - close
            """, vus: 4, iterations: 5);

        var stats = _api.WebSockets;
        Assert.Equal(20, stats.Sessions);
        Assert.Equal(20, Count(summary, "ws_sessions", ("name", "echo"), ("status", "101")));
        Assert.Equal(stats.MessagesReceived, Count(summary, "ws_msgs_sent"));
        Assert.Equal(stats.MessagesSent, Count(summary, "ws_msgs_received"));
        Assert.Equal(80, stats.MessagesReceived);
        Assert.Equal(80, stats.MessagesSent);
        Assert.Equal(20, Count(summary, "ws_ping"));
        Assert.Equal(20, Count(summary, "ws_connecting", ("status", "101")));
        Assert.Equal(0, Count(summary, "ws_session_failed"));
        Assert.Equal(20, Samples(summary, "ws_session_failed"));
        Assert.Equal(20, Count(summary, "checks"));
        Assert.Equal(20, Samples(summary, "checks"));
        // Each session's upgrade request alone is more than 100 bytes on the wire, each direction.
        Assert.True(Count(summary, "data_sent", ("name", "echo")) > 20 * 100);
        Assert.True(Count(summary, "data_received", ("name", "echo")) > 20 * 100);
        Assert.Equal(20, Count(summary, "iterations"));
    }

    [Fact]
    public async Task The_csharp_client_records_the_same_counts_the_chat_server_saw_for_every_message_broadcast()
    {
        var plan = new PlanBuilder()
            .BaseUrl(_api.BaseAddress.ToString())
            .Scenario("chat", s => s
                .PerVuIterations(vus: 3, iterations: 4)
                .Run("chat", async ctx =>
                {
                    await using var chat = await ctx.WebSockets.ConnectAsync("/ws/chat?room=test", name: "chat", subprotocols: ["chat.v1"]);
                    ctx.Check("subprotocol chosen", chat.Subprotocol == "chat.v1");
                    var own = $"vu {ctx.VuId} says hi";
                    await chat.SendAsync(own);
                    // Others' broadcasts may come first; our own comes back once the room has seen it.
                    var echoed = await chat.ReceiveAsync(m => m.Text == own);
                    ctx.Check("own message came back", echoed is not null);
                    ctx.Check("ping answered", await chat.PingAsync() is not null);
                    await chat.CloseAsync();
                }))
            .Build();

        var summary = await plan.RunAsync();

        var stats = _api.WebSockets;
        Assert.Equal(12, stats.Sessions);
        Assert.Equal(12, Count(summary, "ws_sessions"));
        Assert.Equal(12, stats.MessagesReceived);
        Assert.Equal(stats.MessagesReceived, Count(summary, "ws_msgs_sent"));
        Assert.Equal(stats.MessagesSent, Count(summary, "ws_msgs_received"));
        Assert.True(stats.MessagesSent >= 12);
        Assert.Equal(0, Count(summary, "ws_session_failed"));
        Assert.Equal(36, Count(summary, "checks"));
    }

    [Theory]
    [InlineData("reject", "handshake_rejected", "403")]
    [InlineData("close-mid-message", "closed_mid_message", "101")]
    [InlineData("silent", "receive_timeout", "101")]
    [InlineData("close", "closed_by_server", "101")]
    [InlineData("bad-frame", "protocol_error", "101")]
    public async Task A_misbehaving_server_gives_a_named_error_and_the_run_completes(string mode, string error, string status)
    {
        var summary = await RunYamlAsync($"""
            - ws: /ws/chaos?mode={mode}
              name: chaos
              actions:
                - send: first
                - receive: any
                  timeout: 300ms
                  checks:
                    - bodyContains: never
            - get: /health
            """, iterations: 2);

        Assert.Equal(2, Count(summary, "ws_sessions", ("name", "chaos"), ("status", status), ("error_code", error)));
        Assert.Equal(2, Samples(summary, "ws_session_failed"));
        Assert.Equal(2, Count(summary, "ws_session_failed"));
        Assert.Equal(0, Count(summary, "checks")); // a check on a message that never came fails
        Assert.Equal(2, Count(summary, "http_reqs", ("status", "200")));
        Assert.Equal(2, Count(summary, "iterations"));
    }

    [Fact]
    public async Task A_refused_connection_is_named_and_the_csharp_step_goes_on()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // a port nobody listens on
        string? seen = null;
        var plan = new PlanBuilder()
            .Scenario("refused", s => s
                .PerVuIterations(vus: 1, iterations: 3)
                .Run(async ctx =>
                {
                    await using var socket = await ctx.WebSockets.ConnectAsync($"ws://127.0.0.1:{port}/ws", name: "nobody");
                    seen = socket.Error;
                    ctx.Check("send refused", !await socket.SendAsync("lost"));
                }))
            .Build();

        var summary = await plan.RunAsync();

        Assert.Equal("connection_refused", seen);
        Assert.Equal(3, Count(summary, "ws_sessions", ("name", "nobody"), ("status", "0"), ("error_code", "connection_refused")));
        Assert.Equal(0, Count(summary, "ws_msgs_sent"));
        Assert.Equal(3, Count(summary, "checks"));
        Assert.Equal(3, Count(summary, "iterations"));
    }

    [Fact]
    public async Task The_websocket_example_runs_from_the_cli_and_its_counts_match_the_servers()
    {
        var export = Path.Combine(Path.GetTempPath(), $"surge-ws-example-{Guid.NewGuid():N}.json");

        var run = await SurgeProcess.RunAsync("run", ExampleTests.Example("websocket.yaml"), "--base-url", _api.BaseAddress.ToString().TrimEnd('/'),
            "--duration", "3s", "--quiet", "--summary-export", export);

        using var summary = JsonDocument.Parse(File.ReadAllText(export));
        File.Delete(export);
        var failed = ExampleTests.FailedThresholds(summary).ToList();
        Assert.True(failed.All(f => f.JudgesSpeed), $"failed: {string.Join(", ", failed.Select(f => f.Key))}\n{run.Stdout}\n{run.Stderr}");
        Assert.Equal(failed.Count == 0 ? 0 : 99, run.ExitCode);
        long Metric(string name) => summary.RootElement.GetProperty("metrics").GetProperty(name).GetProperty("count").GetInt64();
        var stats = _api.WebSockets;
        Assert.True(stats.Sessions > 0);
        Assert.Equal(stats.Sessions, Metric("ws_sessions"));
        Assert.Equal(stats.MessagesReceived, Metric("ws_msgs_sent"));
        Assert.Equal(stats.MessagesSent, Metric("ws_msgs_received"));
    }

    [Fact]
    public async Task A_bad_ws_step_exits_104_naming_its_line_and_column_before_any_connection()
    {
        var file = SurgeProcess.WriteTestFile($$"""
            options:
              baseUrl: {{_api.BaseAddress}}
            scenarios:
              s:
                executor: shared-iterations
                requests:
                  - ws: /ws/echo
                    actions:
                      - receive: { contains: a, regex: b }
            """);

        var run = await SurgeProcess.RunAsync("run", file);

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"{file}:9:37: receive takes one matcher", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.WebSockets.Sessions);
        Assert.Equal(0, _api.RequestCount);
    }
}
