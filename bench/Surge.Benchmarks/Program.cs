using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace Surge.Benchmarks;

public static class Program
{
    /// <summary>
    /// Short runs (1 launch, 3 warm-up and 8 measured iterations) keep the whole suite to a few minutes on 2 cores;
    /// the memory diagnoser counts bytes allocated on every thread, so allocations after an await that resumed on
    /// another thread are included.
    /// </summary>
    public static async Task Main(string[] args)
    {
        if (args is ["grpc-server", ..] or ["grpc-alloc", ..])
        {
            await GrpcBench.RunAsync(args);
            return;
        }
        var config = DefaultConfig.Instance
            .AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(8).AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
