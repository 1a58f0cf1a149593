using Surge.Http;
using Surge.SampleApi.Grpc.Chaos;
using Surge.Plans;
using Surge.Results;
using Surge.Thresholds;

namespace Surge.Tests.Http;

/// <summary>
/// Real HTTP/2: h2c with prior knowledge and ALPN over TLS, one multiplexed connection per VU, data_sent and
/// data_received equal to the raw bytes a counting server saw, and failures (a reset stream, a cut connection, a
/// refused connection, a failed handshake) as named errors.
/// </summary>
public sealed class Http2Tests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);
    private static readonly HttpOptions AnyCertificate = new() { InsecureSkipTlsVerify = true };

    private static TestPlan Plan(Uri baseUrl, int vus, int iterations, Func<VuContext, Task>? code = null, bool shared = false) => new()
    {
        Http = AnyCertificate with { Connections = shared ? ConnectionSharing.Shared : ConnectionSharing.PerVu },
        Scenarios =
        [
            new ScenarioPlan
            {
                Name = "h2",
                Executor = new PerVuIterationsExecutor(vus, iterations, TimeSpan.FromSeconds(60)),
                Steps = code is not null
                    ? [new CodeStep("code", code)]
                    :
                    [
                        new RequestStep { Method = "GET", Url = new Uri(baseUrl, "bytes/3000").ToString(), Name = "get", HttpVersion = "2" },
                        new RequestStep
                        {
                            Method = "POST", Url = new Uri(baseUrl, "echo").ToString(), Name = "post", HttpVersion = "2",
                            Headers = [new("Content-Type", "text/plain")], Body = new string('b', 700),
                        },
                    ],
            },
        ],
    };

    private static double Sum(RunSummary summary, string key) => summary.Aggregate(MetricKey.Parse(key))?.Sum ?? 0;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Data_sent_and_data_received_equal_the_raw_bytes_the_server_counted_on_one_connection_per_vu(bool tls)
    {
        await using var server = await Http2CountingServer.StartAsync();

        var summary = await TestRun.RunAsync(Plan(tls ? server.TlsUrl : server.PlainUrl, vus: 3, iterations: 20)).WaitAsync(Bound);
        await server.WaitForConnectionsToEndAsync();

        Assert.Equal(120, Sum(summary, "http_reqs{proto:HTTP/2.0,status:200}"));
        Assert.Equal(3, server.ConnectionsOpened);
        Assert.Equal(server.Received, Sum(summary, "data_sent"));
        Assert.Equal(server.Sent, Sum(summary, "data_received"));
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Grpc_calls_book_every_byte_the_server_counted_even_those_after_the_last_call(bool tls, bool shared)
    {
        await using var server = await Http2CountingServer.StartAsync();
        var target = (tls ? server.TlsUrl : server.PlainUrl).ToString();

        var summary = await TestRun.RunAsync(Plan(new Uri(target), vus: 3, iterations: 20, shared: shared, code: async ctx =>
        {
            await ctx.Grpc.Client<ChaosService.ChaosServiceClient>(target).EchoAsync(new EchoMessage { Text = new string('g', 100_000) });
        })).WaitAsync(Bound);
        await server.WaitForConnectionsToEndAsync();

        Assert.Equal(60, summary.Aggregate(MetricKey.Parse("grpc_req_duration{status:0}"))!.Histogram!.TotalCount);
        Assert.Equal(shared ? 1 : 3, server.ConnectionsOpened);
        Assert.Equal(server.Received, Sum(summary, "data_sent"));
        Assert.Equal(server.Sent, Sum(summary, "data_received"));
    }

    [Fact]
    public async Task With_shared_connections_every_vu_multiplexes_onto_one_connection_and_the_bytes_still_add_up()
    {
        await using var server = await Http2CountingServer.StartAsync();

        var summary = await TestRun.RunAsync(Plan(server.PlainUrl, vus: 4, iterations: 10, shared: true)).WaitAsync(Bound);
        await server.WaitForConnectionsToEndAsync();

        Assert.Equal(80, Sum(summary, "http_reqs{proto:HTTP/2.0,status:200}"));
        Assert.Equal(1, server.ConnectionsOpened);
        Assert.Equal(server.Received, Sum(summary, "data_sent"));
        Assert.Equal(server.Sent, Sum(summary, "data_received"));
    }

    [Fact]
    public async Task Http_debug_prints_an_http2_request_as_pseudo_headers_and_its_status()
    {
        await using var server = await Http2CountingServer.StartAsync();
        var output = new StringWriter();
        using var transport = new HttpDebug(output, bodies: false).Transport(new HttpClientTransport(AnyCertificate), http2: true);
        var request = new HttpRequest("GET", new Uri(server.PlainUrl, "bytes/5?x=1"), [new("Accept", "text/plain")], null, TimeSpan.FromSeconds(5));

        var timings = await transport.SendAsync(request, null, CancellationToken.None).AsTask().WaitAsync(Bound);

        Assert.Equal(200, timings.Status);
        var text = output.ToString();
        Assert.StartsWith($"Request:\n:method: GET\n:scheme: http\n:authority: {server.PlainUrl.Authority}\n:path: /bytes/5?x=1\naccept: text/plain\n", text, StringComparison.Ordinal);
        Assert.Contains("Response:\n:status: 200\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csharp_step_on_http2_multiplexes_its_concurrent_requests_on_the_vus_one_connection_with_exact_bytes()
    {
        await using var server = await Http2CountingServer.StartAsync();
        var url = new Uri(server.PlainUrl, "bytes/500").ToString();

        var summary = await TestRun.RunAsync(Plan(server.PlainUrl, vus: 2, iterations: 5, async context =>
        {
            context.Http.Protocol = HttpProtocol.Http2;
            var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => context.Http.GetAsync(url, "burst")));
            Assert.All(results, result => Assert.Equal(200, result.Status));
        })).WaitAsync(Bound);
        await server.WaitForConnectionsToEndAsync();

        Assert.Equal(40, Sum(summary, "http_reqs{name:burst,proto:HTTP/2.0,status:200}"));
        Assert.Equal(2, server.ConnectionsOpened);
        Assert.Equal(server.Received, Sum(summary, "data_sent"));
        Assert.Equal(server.Sent, Sum(summary, "data_received"));
    }

    [Fact]
    public async Task Http11_requests_keep_the_proto_tag_http11_beside_http2_ones()
    {
        await using var server = await Support.CountingServer.StartAsync();
        await using var http2 = await Http2CountingServer.StartAsync();
        var hello = server.Url("hello");
        var plan = Plan(server.BaseAddress, 1, 3) with
        {
            Scenarios =
            [
                new ScenarioPlan
                {
                    Name = "mixed",
                    Executor = new PerVuIterationsExecutor(1, 3, TimeSpan.FromSeconds(60)),
                    Steps =
                    [
                        new RequestStep { Method = "GET", Url = hello, Name = "one", HttpVersion = "1.1" },
                        new RequestStep { Method = "GET", Url = new Uri(http2.PlainUrl, "bytes/5").ToString(), Name = "two", HttpVersion = "2" },
                    ],
                },
            ],
        };

        var summary = await TestRun.RunAsync(plan).WaitAsync(Bound);

        Assert.Equal(3, Sum(summary, "http_reqs{name:one,proto:HTTP/1.1,status:200}"));
        Assert.Equal(3, Sum(summary, "http_reqs{name:two,proto:HTTP/2.0,status:200}"));
        Assert.Equal(["HTTP/1.1"], server.Protocols);
        Assert.Equal(1, http2.ConnectionsOpened);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_stream_the_server_resets_is_a_stream_reset_error_and_the_connection_serves_the_next_request(bool tls)
    {
        await using var server = await Http2CountingServer.StartAsync();
        var baseUrl = tls ? server.TlsUrl : server.PlainUrl;
        using var transport = new HttpClientTransport(AnyCertificate);

        var reset = await SendAsync(transport, new Uri(baseUrl, "reset"));
        var next = await SendAsync(transport, new Uri(baseUrl, "bytes/10"));

        Assert.Equal((0, NetworkError.StreamReset), (reset.Status, reset.Error));
        Assert.Equal(200, next.Status);
        Assert.Equal(1, server.ConnectionsOpened);
    }

    [Fact]
    public async Task A_connection_the_server_drops_mid_body_is_a_named_error_and_the_next_request_opens_a_new_one()
    {
        await using var server = await Http2CountingServer.StartAsync();
        using var transport = new HttpClientTransport(AnyCertificate);

        var cut = await SendAsync(transport, new Uri(server.PlainUrl, "cut"));
        var next = await SendAsync(transport, new Uri(server.PlainUrl, "bytes/10"));

        Assert.Equal(0, cut.Status);
        Assert.Contains(cut.Error, new[] { NetworkError.ResponseEnded, NetworkError.ConnectionReset });
        Assert.Equal(200, next.Status);
        Assert.True(next.Connecting > 0, "the next request opened a connection");
        Assert.Equal(2, server.ConnectionsOpened);
    }

    [Fact]
    public async Task A_goaway_with_an_error_after_the_request_was_taken_is_a_goaway_error()
    {
        await using var server = new GoAwayServer();
        using var transport = new HttpClientTransport(HttpOptions.Default);

        var timings = await SendAsync(transport, server.Url);

        Assert.Equal((0, NetworkError.GoAway), (timings.Status, timings.Error));
    }

    [Fact]
    public async Task An_untrusted_certificate_is_a_tls_error_and_a_closed_port_a_refused_connection()
    {
        await using var server = await Http2CountingServer.StartAsync();
        using var strict = new HttpClientTransport(HttpOptions.Default);
        var port = server.PlainUrl.Port;

        Assert.Equal(NetworkError.Tls, (await SendAsync(strict, server.TlsUrl)).Error);
        await server.DisposeAsync();
        Assert.Equal(NetworkError.ConnectionRefused, (await SendAsync(strict, new Uri($"http://127.0.0.1:{port}/"))).Error);
    }

    private static async Task<HttpTimings> SendAsync(IHttpTransport transport, Uri url) =>
        await transport.SendAsync(new HttpRequest("GET", url, [], null, TimeSpan.FromSeconds(5)), null, CancellationToken.None).AsTask().WaitAsync(Bound);
}
