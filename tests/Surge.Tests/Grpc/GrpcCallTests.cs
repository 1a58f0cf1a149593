using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Grpc.Core;
using Surge.Metrics;
using Surge.Plans;
using Surge.Thresholds;
using Surge.Results;
using Surge.SampleApi.Grpc.Cashiers;
using Surge.SampleApi.Grpc.Chaos;
using Surge.SampleApi.Grpc.Invoices;

namespace Surge.Tests.Grpc;

public sealed class GrpcCallTests
{
    [Fact]
    public async Task Unary_and_streaming_calls_are_counted_exactly_as_the_server_counted_calls_and_messages()
    {
        await using var server = await GrpcTestServer.StartAsync();

        var summary = await Load.Plan()
            .BaseUrl(server.Address)
            .Scenario("grpc", s => s.Iterations(vus: 3, iterations: 30).Run(async ctx =>
            {
                var chaos = ctx.Grpc.Client<ChaosService.ChaosServiceClient>();
                await chaos.EchoAsync(new EchoMessage { Text = "one" });
                await chaos.EchoAsync(new EchoMessage { Payload = ByteString.CopyFromUtf8("two") });

                using var list = ctx.Grpc.Client<CashierService.CashierServiceClient>().ListCashiers(new ListCashiersRequest { Limit = 5 });
                var listed = 0;
                await foreach (var _ in list.ResponseStream.ReadAllAsync())
                {
                    listed++;
                }
                ctx.Check("five cashiers listed", listed == 5);

                using var import = ctx.Grpc.Client<InvoiceService.InvoiceServiceClient>().ImportInvoices();
                for (var i = 0; i < 4; i++)
                {
                    await import.RequestStream.WriteAsync(new CreateInvoiceRequest { Customer = $"customer {i}" });
                }
                await import.RequestStream.CompleteAsync();
                ctx.Check("four invoices imported", (await import).Imported == 4);

                using var echo = chaos.EchoStream();
                for (var i = 0; i < 3; i++)
                {
                    await echo.RequestStream.WriteAsync(new EchoMessage { Text = $"m{i}" });
                    await echo.ResponseStream.MoveNext(CancellationToken.None);
                }
                await echo.RequestStream.CompleteAsync();
                ctx.Check("the echo stream ended", !await echo.ResponseStream.MoveNext(CancellationToken.None));
            }))
            .Build()
            .RunAsync();

        Assert.Empty(summary.Warnings);
        Assert.Equal(1, Rate(summary, "checks", TagSet.Empty));
        Assert.Equal(60, server.Counts.CallsTo("Echo"));
        Assert.Equal(30, server.Counts.CallsTo("ListCashiers"));
        Assert.Equal(30, server.Counts.CallsTo("ImportInvoices"));
        Assert.Equal(30, server.Counts.CallsTo("EchoStream"));
        Assert.Equal(server.Counts.Calls.Values.Sum(), Count(summary, "grpc_req_duration", TagSet.Empty));
        Assert.Equal(60, Count(summary, "grpc_req_duration", Tags(("name", "chaos.ChaosService/Echo"), ("status", "0"), ("rpc_type", "unary"))));
        Assert.Equal(30, Count(summary, "grpc_req_duration", Tags(("name", "cashiers.CashierService/ListCashiers"), ("rpc_type", "server_streaming"))));
        Assert.Equal(30, Count(summary, "grpc_req_duration", Tags(("name", "invoices.InvoiceService/ImportInvoices"), ("rpc_type", "client_streaming"))));
        Assert.Equal(30, Count(summary, "grpc_req_duration", Tags(("name", "chaos.ChaosService/EchoStream"), ("rpc_type", "bidi_streaming"))));
        Assert.Equal(90, Sum(summary, "grpc_streams", TagSet.Empty));
        // The server received 1 + 4 + 3 messages per iteration on streams and sent 5 + 1 + 3.
        Assert.Equal(server.Counts.MessagesReceived, Sum(summary, "grpc_streams_msgs_sent", TagSet.Empty));
        Assert.Equal(server.Counts.MessagesSent, Sum(summary, "grpc_streams_msgs_received", TagSet.Empty));
        Assert.Equal(30 * 8, server.Counts.MessagesReceived);
        Assert.Equal(0, Rate(summary, "grpc_req_failed", TagSet.Empty));
        Assert.True(Sum(summary, "data_sent", Tags(("name", "chaos.ChaosService/Echo"))) > 0);
        Assert.True(Sum(summary, "data_received", Tags(("name", "chaos.ChaosService/Echo"))) > 0);
        Assert.Equal(0, Sum(summary, "http_reqs", TagSet.Empty));
    }

    [Fact]
    public async Task Every_status_code_from_0_to_16_is_tagged_with_its_number_and_all_but_OK_count_as_failed()
    {
        await using var server = await GrpcTestServer.StartAsync();
        var statuses = new List<StatusCode>();

        var summary = await Load.Plan()
            .BaseUrl(server.Address)
            .Scenario("statuses", s => s.Iterations(vus: 1, iterations: 1).Run(async ctx =>
            {
                var chaos = ctx.Grpc.Client<ChaosService.ChaosServiceClient>();
                for (var code = 0; code <= 16; code++)
                {
                    try
                    {
                        await chaos.FailAsync(new FailRequest { Code = code, Message = $"status {code}" });
                        statuses.Add(StatusCode.OK);
                    }
                    catch (RpcException e)
                    {
                        statuses.Add(e.StatusCode);
                    }
                }
            }))
            .Build()
            .RunAsync();

        Assert.Equal(Enumerable.Range(0, 17).Select(c => (StatusCode)c), statuses);
        for (var code = 0; code <= 16; code++)
        {
            var tags = Tags(("name", "chaos.ChaosService/Fail"), ("status", code.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Equal(1, Count(summary, "grpc_req_duration", tags));
            Assert.Equal(code == 0 ? 0 : 1, Rate(summary, "grpc_req_failed", tags));
        }
        var failed = summary.Aggregate(new MetricKey("grpc_req_failed", TagSet.Empty))!;
        Assert.Equal((16, 17), (failed.Passes, failed.Samples));
        Assert.DoesNotContain(summary.Find("grpc_req_duration")!.Series, s => s.Tags["error_code"] is not null);
    }

    [Fact]
    public async Task A_deadline_per_call_or_by_default_ends_a_slow_call_as_DEADLINE_EXCEEDED()
    {
        await using var server = await GrpcTestServer.StartAsync();
        var statuses = new List<StatusCode>();

        var summary = await Load.Plan()
            .BaseUrl(server.Address)
            .Scenario("slow", s => s.Iterations(vus: 1, iterations: 1).Run(async ctx =>
            {
                var chaos = ctx.Grpc.Client<ChaosService.ChaosServiceClient>();
                ctx.Grpc.Timeout = TimeSpan.FromMilliseconds(100);
                foreach (var deadline in new DateTime?[] { null, DateTime.UtcNow.AddMilliseconds(100) })
                {
                    try
                    {
                        await chaos.SleepAsync(new SleepRequest { Milliseconds = 5_000 }, deadline: deadline);
                    }
                    catch (RpcException e)
                    {
                        statuses.Add(e.StatusCode);
                    }
                }
            }))
            .Build()
            .RunAsync();

        Assert.Equal([StatusCode.DeadlineExceeded, StatusCode.DeadlineExceeded], statuses);
        Assert.Equal(2, Count(summary, "grpc_req_duration", Tags(("name", "chaos.ChaosService/Sleep"), ("status", "4"))));
        Assert.Equal(1, Rate(summary, "grpc_req_failed", TagSet.Empty));
    }

    [Fact]
    public async Task Default_metadata_goes_with_every_call_and_a_calls_own_entry_with_the_same_key_wins()
    {
        await using var server = await GrpcTestServer.StartAsync();
        var seen = new List<string>();

        await Load.Plan()
            .BaseUrl(server.Address)
            .Scenario("metadata", s => s.Iterations(vus: 1, iterations: 1).Run(async ctx =>
            {
                var chaos = ctx.Grpc.Client<ChaosService.ChaosServiceClient>();
                ctx.Grpc.DefaultMetadata.Add("x-tenant", "t1");
                ctx.Grpc.DefaultMetadata.Add("x-user", "default");
                seen.Add((await chaos.EchoAsync(new EchoMessage { Text = "metadata" })).Text);
                seen.Add((await chaos.EchoAsync(new EchoMessage { Text = "metadata" }, new Metadata { { "x-user", "alice" } })).Text);
            }))
            .Build()
            .RunAsync();

        Assert.Equal(["x-tenant=t1,x-user=default", "x-tenant=t1,x-user=alice"], seen);
    }

    [Fact]
    public async Task A_reset_stream_and_a_refused_connection_are_named_errors_and_the_run_goes_on()
    {
        await using var server = await GrpcTestServer.StartAsync();
        var closedPort = ClosedPort();
        var statuses = new List<StatusCode>();

        var summary = await Load.Plan()
            .BaseUrl(server.Address)
            .Scenario("broken", s => s.Iterations(vus: 1, iterations: 3).Run(async ctx =>
            {
                foreach (var call in new Func<Task>[]
                {
                    async () => await ctx.Grpc.Client<ChaosService.ChaosServiceClient>().ResetAsync(new EchoMessage()),
                    async () => await ctx.Grpc.Client<ChaosService.ChaosServiceClient>($"http://127.0.0.1:{closedPort}").EchoAsync(new EchoMessage()),
                })
                {
                    try
                    {
                        await call();
                    }
                    catch (RpcException e)
                    {
                        statuses.Add(e.StatusCode);
                    }
                }
                await ctx.Grpc.Client<ChaosService.ChaosServiceClient>().EchoAsync(new EchoMessage { Text = "still fine" });
            }))
            .Build()
            .RunAsync();

        Assert.Equal(6, statuses.Count);
        Assert.Equal(3, summary.Scenarios.Single().CompletedIterations);
        Assert.Equal(3, Count(summary, "grpc_req_duration", Tags(("name", "chaos.ChaosService/Reset"), ("error_code", "stream_reset"))));
        Assert.Equal(3, Count(summary, "grpc_req_duration", Tags(("name", "chaos.ChaosService/Echo"), ("error_code", "connection_refused"), ("status", "14"))));
        Assert.Equal(3, Count(summary, "grpc_req_duration", Tags(("name", "chaos.ChaosService/Echo"), ("status", "0"))));
        var failed = summary.Aggregate(new MetricKey("grpc_req_failed", TagSet.Empty))!;
        Assert.Equal((6, 9), (failed.Passes, failed.Samples));
    }

    [Fact]
    public async Task Calls_over_TLS_need_the_certificate_trusted_or_insecureSkipTLSVerify_and_fail_as_tls_otherwise()
    {
        await using var server = await GrpcTestServer.StartAsync(tls: true);
        Assert.StartsWith("https://", server.Address, StringComparison.Ordinal);

        async Task<RunSummary> Run(bool skipVerify) => await Load.Plan()
            .BaseUrl(server.Address)
            .Http(h => h with { InsecureSkipTlsVerify = skipVerify })
            .Scenario("tls", s => s.Iterations(vus: 2, iterations: 4).Run(async ctx =>
            {
                try
                {
                    await ctx.Grpc.Client<ChaosService.ChaosServiceClient>().EchoAsync(new EchoMessage { Text = "secure" });
                }
                catch (RpcException)
                {
                    // recorded; the test reads the metrics
                }
            }))
            .Build()
            .RunAsync();

        var trusted = await Run(skipVerify: true);
        var refused = await Run(skipVerify: false);

        Assert.Equal(4, server.Counts.CallsTo("Echo"));
        Assert.Equal(4, Count(trusted, "grpc_req_duration", Tags(("status", "0"))));
        Assert.Equal(4, Count(refused, "grpc_req_duration", Tags(("error_code", "tls"))));
    }

    [Fact]
    public async Task Shared_connections_give_the_whole_run_one_channel_per_target_and_the_same_counts()
    {
        await using var server = await GrpcTestServer.StartAsync();

        var summary = await Load.Plan()
            .BaseUrl(server.Address)
            .Http(h => h with { Connections = ConnectionSharing.Shared })
            .Scenario("shared", s => s.Iterations(vus: 4, iterations: 40).Run(async ctx =>
                await ctx.Grpc.Client<ChaosService.ChaosServiceClient>().EchoAsync(new EchoMessage { Text = "shared" })))
            .Build()
            .RunAsync();

        Assert.Equal(40, server.Counts.CallsTo("Echo"));
        Assert.Equal(40, Count(summary, "grpc_req_duration", TagSet.Empty));
        Assert.Equal(1, server.Counts.Connections);
    }

    [Fact]
    public void A_target_without_a_scheme_is_refused_with_the_two_it_could_mean()
    {
        var error = Assert.Throws<PlanException>(() => Surge.Grpc.GrpcTarget.Resolve("localhost:5001", HttpOptions.Default));
        Assert.Contains("http://localhost:5001 for h2c", error.Message, StringComparison.Ordinal);
        Assert.Contains("https://localhost:5001 for TLS", error.Message, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static TagSet Tags(params (string Key, string Value)[] tags) => TagSet.From(tags.Select(t => new KeyValuePair<string, string>(t.Key, t.Value)));

    private static long Count(RunSummary summary, string metric, TagSet filter) =>
        summary.Find(metric)?.Series.Where(s => s.Tags.Matches(filter)).Sum(s => s.Values.Histogram!.TotalCount) ?? 0;

    private static double Sum(RunSummary summary, string metric, TagSet filter) =>
        summary.Find(metric)?.Series.Where(s => s.Tags.Matches(filter)).Sum(s => s.Values.Sum) ?? 0;

    private static double Rate(RunSummary summary, string metric, TagSet filter)
    {
        var series = summary.Find(metric)!.Series.Where(s => s.Tags.Matches(filter)).ToList();
        return (double)series.Sum(s => s.Values.Passes) / series.Sum(s => s.Values.Samples);
    }
}
