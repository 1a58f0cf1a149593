using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Grpc.Core;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Surge.Outputs.Tests.Otlp;

namespace Surge.Outputs.Tests.Support;

/// <summary>
/// An OTLP metrics receiver as a collector runs one: gRPC (HTTP/2 without TLS) on one loopback port and HTTP/protobuf
/// (POST /v1/metrics) on another, keeping every decoded request with the headers it came with.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(ExportMetricsServiceRequest Request, IReadOnlyDictionary<string, string> Headers)> _received = new();

    private OtlpReceiver(WebApplication app, int grpcPort, int httpPort)
    {
        _app = app;
        GrpcEndpoint = new Uri($"http://127.0.0.1:{grpcPort.ToString(CultureInfo.InvariantCulture)}");
        HttpEndpoint = new Uri($"http://127.0.0.1:{httpPort.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The gRPC server, as OTEL_EXPORTER_OTLP_ENDPOINT takes it.</summary>
    public Uri GrpcEndpoint { get; }

    /// <summary>The HTTP server's root, as OTEL_EXPORTER_OTLP_ENDPOINT takes it (the exporter adds /v1/metrics).</summary>
    public Uri HttpEndpoint { get; }

    public IReadOnlyList<(ExportMetricsServiceRequest Request, IReadOnlyDictionary<string, string> Headers)> Received => [.. _received];

    public static async Task<OtlpReceiver> StartAsync()
    {
        var grpcPort = Backend.FreePort();
        var httpPort = Backend.FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, httpPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<Service>();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app, grpcPort, httpPort);
        app.Services.GetRequiredService<Service>().Receiver = receiver;
        app.MapGrpcService<Service>();
        app.MapPost("/v1/metrics", async (HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            receiver.Keep(ExportMetricsServiceRequest.Parser.ParseFrom(body.ToArray()),
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()));
            context.Response.ContentType = "application/x-protobuf";
            await context.Response.Body.WriteAsync(new ExportMetricsServiceResponse().ToByteArray());
        });
        await app.StartAsync();
        return receiver;
    }

    private void Keep(ExportMetricsServiceRequest request, IReadOnlyDictionary<string, string> headers) => _received.Enqueue((request, headers));

    /// <summary>The metric as the last request that carried it has it (cumulative: that is the run's total).</summary>
    public Metric? Last(string name) => Received.Select(r => r.Request)
        .SelectMany(r => r.ResourceMetrics).SelectMany(r => r.ScopeMetrics).SelectMany(s => s.Metrics)
        .LastOrDefault(m => m.Name == name);

    public static bool Has(IEnumerable<KeyValue> attributes, string key, string value) =>
        attributes.Any(a => a.Key == key && a.Value.StringValue == value);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    /// <summary>The gRPC side: MetricsService/Export, as a collector serves it.</summary>
    public sealed class Service : MetricsService.MetricsServiceBase
    {
        public OtlpReceiver Receiver { get; set; } = null!;

        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            Receiver.Keep(request, context.RequestHeaders.Where(h => !h.IsBinary).GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.Last().Value));
            return Task.FromResult(new ExportMetricsServiceResponse());
        }
    }
}
