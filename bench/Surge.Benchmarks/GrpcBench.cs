using System.Globalization;
using System.Net;
using System.Net.Http;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Surge.Engine;
using Surge.Engine.Steps;
using Surge.Grpc;
using Surge.Metrics;
using Surge.Plans;
using Surge.SampleApi.Grpc.Chaos;

namespace Surge.Benchmarks;

/// <summary>
/// The two halves of bench/grpc.sh. `grpc-server` serves chaos.ChaosService/Echo over h2c and GET /hello over
/// HTTP/1.1 on two loopback ports (printed on stdout) until stdin closes. `grpc-alloc URL` measures the bytes one
/// unary Echo call allocates in this process, through a bare Grpc.Net.Client channel and through Surge's recording
/// layer on a VU's channel, the server being in the other process so that none of its allocations are counted.
/// </summary>
internal static class GrpcBench
{
    private const int WarmUp = 3_000;
    private const int Rounds = 7;
    private const int CallsPerRound = 2_000;

    public static async Task RunAsync(string[] args)
    {
        if (args[0] == "grpc-server")
        {
            await ServeAsync();
        }
        else
        {
            await MeasureAsync(new Uri(args[1]));
        }
    }

    private static async Task ServeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http1);
        });
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<EchoService>();
        app.MapGet("/hello", () => "hello world\n");
        await app.StartAsync();
        Console.WriteLine(string.Join(' ', app.Urls));
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
    }

    private static async Task MeasureAsync(Uri address)
    {
        var message = new EchoMessage { Text = "hello" };

        // The same handler settings as a VU's channel (no cookies, proxy, redirects or decompression), without the byte counting.
        using var bare = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { UseProxy = false, UseCookies = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None },
        });
        var bareClient = new ChaosService.ChaosServiceClient(bare);
        var bareBytes = await BytesPerCallAsync(() => bareClient.EchoAsync(message).ResponseAsync);

        using var recorder = new MetricsRecorder(new MetricRegistry());
        using var engine = new EngineContext(recorder, TagSet.Empty, CancellationToken.None);
        var plan = new ScenarioPlan { Name = "alloc", Executor = new ConstantVusExecutor(1, TimeSpan.FromMinutes(1)), Steps = [] };
        using var scenario = new ScenarioRuntime(plan, engine, StepCompiler.Compile);
        using var vu = scenario.CreateVu();
        var recordingClient = new ChaosService.ChaosServiceClient(GrpcCalls.Invoker(vu, address, new Scope(scenario.Tags, null)));
        var recordingBytes = await BytesPerCallAsync(() => recordingClient.EchoAsync(message).ResponseAsync);
        // ctx.Grpc gives every call k6's 60 s deadline unless it sets one; Grpc.Net.Client then arms a timer per call.
        var deadlineClient = new ChaosService.ChaosServiceClient(GrpcCalls.Invoker(vu, address, new Scope(scenario.Tags, TimeSpan.FromSeconds(60))));
        var deadlineBytes = await BytesPerCallAsync(() => deadlineClient.EchoAsync(message).ResponseAsync);
        var bareDeadlineBytes = await BytesPerCallAsync(() => bareClient.EchoAsync(message, deadline: DateTime.UtcNow.AddSeconds(60)).ResponseAsync);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            | unary Echo call | bare Grpc.Net.Client | through Surge's recording layer | difference |
            |---|---:|---:|---:|
            | no deadline | {bareBytes} B | {recordingBytes} B | {recordingBytes - bareBytes:+0;-0;0} B |
            | 60 s deadline (ctx.Grpc's default) | {bareDeadlineBytes} B | {deadlineBytes} B | {deadlineBytes - bareDeadlineBytes:+0;-0;0} B |
            """));
    }

    // Process-wide and precise: continuations resume on pool threads and the HTTP/2 read loop runs on its own, so
    // one thread's count would miss most of it. The quietest round is the measurement (anything else only adds).
    private static async Task<long> BytesPerCallAsync(Func<Task<EchoMessage>> call)
    {
        for (var i = 0; i < WarmUp; i++)
        {
            await call();
        }
        var best = long.MaxValue;
        for (var round = 0; round < Rounds; round++)
        {
            var before = GC.GetTotalAllocatedBytes(precise: true);
            for (var i = 0; i < CallsPerRound; i++)
            {
                await call();
            }
            best = Math.Min(best, (GC.GetTotalAllocatedBytes(precise: true) - before) / CallsPerRound);
        }
        return best;
    }

    private sealed class Scope(TagSet tags, TimeSpan? timeout) : IGrpcCallScope
    {
        public TagSet Tags => tags;
        public CancellationToken CancellationToken => CancellationToken.None;
        public TimeSpan? Timeout => timeout;
        public Metadata? Metadata => null;
    }

    private sealed class EchoService : ChaosService.ChaosServiceBase
    {
        public override Task<EchoMessage> Echo(EchoMessage request, ServerCallContext context) => Task.FromResult(request);
    }
}
