// surge:proto ../../samples/Surge.SampleApi/Protos/chaos.proto
// bench/grpc.sh: unary chaos.ChaosService/Echo calls from VUS virtual users for DURATION seconds against TARGET.
using Surge.SampleApi.Grpc.Chaos;

public static class GrpcEcho
{
    public static TestPlan Plan() => Load.Plan()
        .BaseUrl(Environment.GetEnvironmentVariable("TARGET") ?? "http://127.0.0.1:5000")
        .Scenario("echo", s => s
            .ConstantVus(int.Parse(Environment.GetEnvironmentVariable("VUS") ?? "50"),
                TimeSpan.FromSeconds(int.Parse(Environment.GetEnvironmentVariable("DURATION") ?? "8")))
            .Run(async ctx =>
            {
                await ctx.Grpc.Client<ChaosService.ChaosServiceClient>().EchoAsync(Message);
            }))
        .Build();

    private static readonly EchoMessage Message = new() { Text = "hello world" };
}
