using System.Collections.Concurrent;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Surge.SampleApi.Grpc.Cashiers;
using Surge.SampleApi.Grpc.Chaos;
using Surge.SampleApi.Grpc.Invoices;

namespace Surge.Tests.Grpc;

/// <summary>
/// Kestrel serving the reference domain's chaos service (and the streaming calls of cashiers and invoices) over h2c
/// or TLS, counting every call it saw per method and every stream message in both directions: the ground truth.
/// </summary>
internal sealed class GrpcTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, Counters counters)
    {
        _app = app;
        Counts = counters;
    }

    public string Address { get; private set; } = "";

    public Counters Counts { get; }

    public static async Task<GrpcTestServer> StartAsync(bool tls = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2);
            if (tls)
            {
                kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = Http.TlsServer.SelfSignedCertificate());
            }
        }).UseUrls(tls ? "https://127.0.0.1:0" : "http://127.0.0.1:0");
        var counters = new Counters();
        builder.Services.AddSingleton(counters);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            counters.ConnectionIds.TryAdd(context.Connection.Id, 0);
            await next(context);
        });
        app.MapGrpcService<Chaos>();
        app.MapGrpcService<Cashiers>();
        app.MapGrpcService<Invoices>();
        await app.StartAsync();
        return new GrpcTestServer(app, counters) { Address = app.Urls.First().TrimEnd('/') };
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public sealed class Counters
    {
        private long _messagesReceived;
        private long _messagesSent;

        public ConcurrentDictionary<string, byte> ConnectionIds { get; } = new();

        public int Connections => ConnectionIds.Count;

        public ConcurrentDictionary<string, int> Calls { get; } = new();

        public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

        public long MessagesSent => Interlocked.Read(ref _messagesSent);

        public int CallsTo(string method) => Calls.GetValueOrDefault(method);

        internal void Call(string method) => Calls.AddOrUpdate(method, 1, (_, n) => n + 1);

        internal void Received() => Interlocked.Increment(ref _messagesReceived);

        internal void Sent() => Interlocked.Increment(ref _messagesSent);
    }

    private sealed class Chaos(Counters counters) : ChaosService.ChaosServiceBase
    {
        public override Task<EchoMessage> Echo(EchoMessage request, ServerCallContext context)
        {
            counters.Call("Echo");
            // "metadata" asks for the request's custom metadata back, to check what the client sent.
            return Task.FromResult(request.Text == "metadata"
                ? new EchoMessage { Text = string.Join(",", context.RequestHeaders.Where(h => h.Key.StartsWith("x-", StringComparison.Ordinal)).Select(h => $"{h.Key}={h.Value}").Order(StringComparer.Ordinal)) }
                : request);
        }

        public override Task<EchoMessage> Fail(FailRequest request, ServerCallContext context)
        {
            counters.Call("Fail");
            return request.Code == 0
                ? Task.FromResult(new EchoMessage { Text = "ok" })
                : throw new RpcException(new Status((StatusCode)request.Code, request.Message));
        }

        public override async Task<EchoMessage> Sleep(SleepRequest request, ServerCallContext context)
        {
            counters.Call("Sleep");
            await Task.Delay(request.Milliseconds, context.CancellationToken);
            return new EchoMessage { Text = "slept" };
        }

        public override Task<EchoMessage> Reset(EchoMessage request, ServerCallContext context)
        {
            counters.Call("Reset");
            // HTTP/2 INTERNAL_ERROR on the call's stream, with no gRPC status.
            context.GetHttpContext().Features.GetRequiredFeature<IHttpResetFeature>().Reset(2);
            return Task.FromResult(new EchoMessage());
        }

        public override async Task EchoStream(IAsyncStreamReader<EchoMessage> requestStream, IServerStreamWriter<EchoMessage> responseStream, ServerCallContext context)
        {
            counters.Call("EchoStream");
            await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
            {
                counters.Received();
                await responseStream.WriteAsync(message, context.CancellationToken);
                counters.Sent();
            }
        }
    }

    private sealed class Cashiers(Counters counters) : CashierService.CashierServiceBase
    {
        public override async Task ListCashiers(ListCashiersRequest request, IServerStreamWriter<Cashier> responseStream, ServerCallContext context)
        {
            counters.Call("ListCashiers");
            counters.Received();
            for (var i = 0; i < request.Limit; i++)
            {
                await responseStream.WriteAsync(new Cashier { Id = $"c-{i}", Name = $"cashier {i}", Version = 1 }, context.CancellationToken);
                counters.Sent();
            }
        }
    }

    private sealed class Invoices(Counters counters) : InvoiceService.InvoiceServiceBase
    {
        public override async Task<ImportInvoicesResponse> ImportInvoices(IAsyncStreamReader<CreateInvoiceRequest> requestStream, ServerCallContext context)
        {
            counters.Call("ImportInvoices");
            var response = new ImportInvoicesResponse();
            await foreach (var invoice in requestStream.ReadAllAsync(context.CancellationToken))
            {
                counters.Received();
                response.Imported++;
                response.Ids.Add(invoice.Customer);
            }
            counters.Sent();
            return response;
        }
    }
}
