using Surge.Plans;
using Surge.Scripting;

namespace Surge.Scripting.Tests;

/// <summary>One compile shared by the tests that only read its result: Roslyn's first compile is the slow one.</summary>
public sealed class CheckoutTestFile : IDisposable
{
    public const string FileName = "checkout.cs";

    // File-scoped namespace, implicit usings (List, Select, TimeSpan, Surge.Plans), collection expressions, and a
    // warning that must not fail the compile.
    public const string Source = """
        namespace Checkout;

        public static class CheckoutTest
        {
        #warning warnings are shown, never fatal
            public static TestPlan Plan()
            {
                var paths = new List<string> { "/items", "/cart" };
                return new()
                {
                    Scenarios =
                    [
                        new ScenarioPlan
                        {
                            Name = "browse",
                            Executor = new ConstantVusExecutor(2, TimeSpan.FromSeconds(1)),
                            Steps = [.. paths.Select(path => new RequestStep { Method = "GET", Url = "http://127.0.0.1:5000" + path })],
                        },
                    ],
                };
            }
        }
        """;

    public CheckoutTestFile() => Compiled = TestFileCompiler.Compile(Source, FileName);

    public CompiledTestFile Compiled { get; }

    public void Dispose() => Compiled.Dispose();
}

public sealed class ValidTestFileTests(CheckoutTestFile file) : IClassFixture<CheckoutTestFile>
{
    [Fact]
    public async Task Plan_returns_the_scenario_the_file_builds()
    {
        var plan = await file.Compiled.CreatePlanAsync();

        var scenario = Assert.Single(plan.Scenarios);
        Assert.Equal("browse", scenario.Name);
        Assert.Equal(new ConstantVusExecutor(2, TimeSpan.FromSeconds(1)), scenario.Executor);
        Assert.Equal(
            ["http://127.0.0.1:5000/items", "http://127.0.0.1:5000/cart"],
            scenario.Steps.Cast<RequestStep>().Select(step => step.Url));
        Assert.All(scenario.Steps.Cast<RequestStep>(), step => Assert.Equal("GET", step.Method));
    }

    [Fact]
    public async Task A_plan_built_in_the_file_is_named_after_the_file()
    {
        var plan = await file.Compiled.CreatePlanAsync();

        Assert.Equal(CheckoutTestFile.FileName, plan.Source);
    }

    [Fact]
    public void The_entry_point_location_is_the_Plan_method()
    {
        Assert.Equal(new SourceLocation(CheckoutTestFile.FileName, 6, 28), file.Compiled.EntryPointLocation);
    }

    [Fact]
    public async Task Each_call_runs_Plan_again()
    {
        var first = await file.Compiled.CreatePlanAsync();
        var second = await file.Compiled.CreatePlanAsync();

        Assert.NotSame(first, second);
        Assert.Equal(first.Scenarios[0].Name, second.Scenarios[0].Name);
    }
}

public sealed class CompiledElsewhereTests
{
    [Fact]
    public async Task A_file_compiled_into_a_folder_loads_from_it_with_the_same_plan_and_entry_point()
    {
        var folder = Directory.CreateTempSubdirectory("surge-script-test-");
        var path = Path.Combine(folder.FullName, CheckoutTestFile.FileName);
        File.WriteAllText(path, CheckoutTestFile.Source);
        try
        {
            TestFileCompiler.CompileInto(path, folder.FullName);
            using var loaded = TestFileCompiler.LoadCompiled(path, folder.FullName);

            var plan = await loaded.CreatePlanAsync();

            Assert.Equal("browse", Assert.Single(plan.Scenarios).Name);
            Assert.Equal(path, plan.Source);
            Assert.Equal(new SourceLocation(path, 6, 28), loaded.EntryPointLocation);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
