using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Surge.Plans;
using Surge.SampleApi.Grpc.Chaos;

namespace Surge.Scripting.Tests;

public sealed class ProtoStubTests : IDisposable
{
    private static readonly string ChaosProto = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../samples/Surge.SampleApi/Protos/chaos.proto"));

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("surge-proto-test-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public async Task A_test_file_naming_a_proto_calls_it_through_generated_stubs_and_every_call_is_recorded()
    {
        var echoes = 0;
        await using var app = await StartChaosServerAsync(() => Interlocked.Increment(ref echoes));
        Directory.CreateDirectory(Path.Combine(_folder.FullName, "Protos"));
        File.Copy(ChaosProto, Path.Combine(_folder.FullName, "Protos", "chaos.proto"));
        var file = Write("echo.cs", $$"""
            // surge:proto Protos/chaos.proto
            using Surge.SampleApi.Grpc.Chaos;

            public static class EchoTest
            {
                public static TestPlan Plan() => Load.Plan()
                    .BaseUrl("{{app.Urls.First()}}")
                    .Scenario("echo", s => s.Iterations(vus: 2, iterations: 25).Run(async ctx =>
                    {
                        var reply = await ctx.Grpc.Client<ChaosService.ChaosServiceClient>().EchoAsync(new EchoMessage { Text = "hi" });
                        ctx.Check("echoed", reply.Text == "hi");
                    }))
                    .Threshold("grpc_req_duration{name:chaos.ChaosService/Echo}", "count==25")
                    .Threshold("checks", "rate==1")
                    .Build();
            }
            """);

        using var compiled = TestFileCompiler.Compile(file);
        var summary = await (await compiled.CreatePlanAsync()).RunAsync();

        Assert.Equal(25, echoes);
        Assert.True(summary.ThresholdsPassed, string.Join("; ", summary.Thresholds.Select(t => $"{t.Key} {t.Expression.Text}: {t.Observed}")));
    }

    [Fact]
    public void A_malformed_proto_is_a_plan_error_at_its_file_line_and_column()
    {
        var proto = Path.Combine(_folder.FullName, "broken.proto");
        File.WriteAllText(proto, "syntax = \"proto3\";\npackage broken;\nmessage Reply {\n  string text = 1\n}\n");
        var file = Write("broken.cs", "// surge:proto broken.proto\npublic static class T { public static TestPlan Plan() => null!; }\n");

        var error = Assert.Throws<PlanException>(() => TestFileCompiler.Compile(file));

        Assert.Equal(proto, error.Location!.File);
        Assert.Equal((5, 1), (error.Location.Line, error.Location.Column));
        Assert.Contains("Expected \";\"", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_proto_that_is_not_there_is_a_plan_error_at_the_line_naming_it()
    {
        var file = Write("missing.cs", "public static class T\n{\n    // surge:proto Protos/nowhere.proto\n    public static TestPlan Plan() => null!;\n}\n");

        var error = Assert.Throws<PlanException>(() => TestFileCompiler.Compile(file));

        Assert.Equal((3, 19), (error.Location!.Line, error.Location.Column));
        Assert.Contains("Protos/nowhere.proto not found", error.Reason, StringComparison.Ordinal);
    }

    private string Write(string name, string source)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllText(path, source);
        return path;
    }

    private static async Task<WebApplication> StartChaosServerAsync(Action onEcho)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.WebHost.UseKestrel(k => k.ConfigureEndpointDefaults(e => e.Protocols = HttpProtocols.Http2)).UseUrls("http://127.0.0.1:0");
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new EchoCounter(onEcho));
        var app = builder.Build();
        app.MapGrpcService<Chaos>();
        await app.StartAsync();
        return app;
    }

    private sealed record EchoCounter(Action OnEcho);

    private sealed class Chaos(EchoCounter counter) : ChaosService.ChaosServiceBase
    {
        public override Task<EchoMessage> Echo(EchoMessage request, ServerCallContext context)
        {
            counter.OnEcho();
            return Task.FromResult(request);
        }
    }
}
