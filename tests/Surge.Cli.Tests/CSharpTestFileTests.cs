using Surge.SampleApi;

namespace Surge.Cli.Tests;

public sealed class CSharpTestFileTests : IAsyncLifetime
{
    private SampleApiHost _api = null!;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private static string WriteCSharp(string source) => SurgeProcess.WriteTestFile(source, ".cs");

    [Fact]
    public async Task A_csharp_test_file_runs_its_plan_and_the_server_counts_every_request()
    {
        var file = WriteCSharp($$"""
            public static class ItemsTest
            {
                public static TestPlan Plan() => new()
                {
                    Scenarios =
                    [
                        new ScenarioPlan
                        {
                            Name = "items",
                            Executor = new SharedIterationsExecutor(4, 120, TimeSpan.FromMinutes(1)),
                            Steps = [new RequestStep { Method = "GET", Url = "{{_api.BaseAddress}}items" }],
                        },
                    ],
                };
            }
            """);

        var run = await SurgeProcess.RunAsync("run", file, "--quiet");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(120, _api.RequestCount);
    }

    [Fact]
    public async Task A_compile_error_exits_104_naming_the_file_line_and_column()
    {
        var file = WriteCSharp("public static class Broken\n{\n    public static TestPlan Plan() => nothing;\n}\n");

        var run = await SurgeProcess.RunAsync("run", file, "--quiet");

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"{file}:3:38: CS0103", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }

    [Fact]
    public async Task A_malformed_proto_the_test_file_names_exits_104_at_the_protos_line_before_any_request()
    {
        var folder = Directory.CreateTempSubdirectory("surge-proto-");
        try
        {
            var proto = Path.Combine(folder.FullName, "orders.proto");
            File.WriteAllText(proto, "syntax = \"proto3\";\npackage orders;\nservice Orders {\n  rpc Get (Missing) returns (Missing);\n}\n");
            var file = Path.Combine(folder.FullName, "orders.cs");
            File.WriteAllText(file, $$"""
                // surge:proto orders.proto
                public static class OrdersTest
                {
                    public static TestPlan Plan() => Load.Plan()
                        .Scenario("items", s => s.Iterations(vus: 1, iterations: 5).Get("{{_api.BaseAddress}}items"))
                        .Build();
                }
                """);

            var run = await SurgeProcess.RunAsync("run", file, "--quiet");

            Assert.Equal(104, run.ExitCode);
            Assert.Contains($"{proto}:4:12: \"Missing\" is not defined.", run.Stderr, StringComparison.Ordinal);
            Assert.Equal(0, _api.RequestCount);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_exception_in_the_plan_method_exits_107_with_its_line()
    {
        var file = WriteCSharp("public static class Failing\n{\n    public static TestPlan Plan() =>\n        throw new InvalidOperationException(\"no plan today\");\n}\n");

        var run = await SurgeProcess.RunAsync("run", file, "--quiet");

        Assert.Equal(107, run.ExitCode);
        Assert.Contains("no plan today", run.Stderr, StringComparison.Ordinal);
        Assert.Contains(":line 4", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistake_the_plan_builder_catches_exits_104_at_the_line_of_the_test_file_that_made_it()
    {
        var file = WriteCSharp("public static class Typo\n{\n    public static TestPlan Plan() => Load.Plan()\n        .Scenario(\"s\", s => s.Get(\"http://127.0.0.1:1/\"))\n        .Threshold(\"http_req_duraton\", \"p(95)<500\")\n        .Build();\n}\n");

        var run = await SurgeProcess.RunAsync("run", file, "--quiet");

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"{file}:5:1: unknown metric 'http_req_duraton' in a threshold", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("did you mean 'http_req_duration'?", run.Stderr, StringComparison.Ordinal);
    }
}
