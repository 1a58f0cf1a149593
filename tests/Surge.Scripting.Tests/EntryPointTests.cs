using Surge.Plans;
using Surge.Scripting;

namespace Surge.Scripting.Tests;

public sealed class EntryPointTests
{
    private const string OneScenario =
        """new() { Scenarios = [new ScenarioPlan { Name = "s", Executor = new ConstantVusExecutor(1, TimeSpan.FromSeconds(1)), Steps = [] }] }""";

    [Fact]
    public async Task An_async_Plan_is_awaited()
    {
        using var compiled = TestFileCompiler.Compile($$"""
            public static class AsyncTest
            {
                public static async Task<TestPlan> Plan()
                {
                    await Task.Yield();
                    return {{OneScenario}};
                }
            }
            """, "async.cs");

        var plan = await compiled.CreatePlanAsync();

        Assert.Equal("s", Assert.Single(plan.Scenarios).Name);
    }

    [Fact]
    public async Task Plan_may_live_in_a_nested_public_class()
    {
        using var compiled = TestFileCompiler.Compile($$"""
            namespace Shop.Tests;
            public static class Outer
            {
                public static class Inner
                {
                    public static TestPlan Plan() => {{OneScenario}};
                }
            }
            """, "nested.cs");

        var plan = await compiled.CreatePlanAsync();

        Assert.Equal("s", Assert.Single(plan.Scenarios).Name);
    }

    [Fact]
    public void A_file_without_Plan_is_an_error_naming_the_file()
    {
        var error = Assert.Throws<PlanException>(() => TestFileCompiler.Compile("""
            public static class Helpers
            {
                public static int Two() => 2;
            }
            """, "helpers.cs"));

        Assert.Equal(new SourceLocation("helpers.cs", 1, 1), error.Location);
        Assert.StartsWith("no entry point in helpers.cs: declare `public static TestPlan Plan()`", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_entry_points_are_an_error_listing_both()
    {
        var error = Assert.Throws<PlanException>(() => TestFileCompiler.Compile($$"""
            public static class First
            {
                public static TestPlan Plan() => {{OneScenario}};
            }
            public static class Second
            {
                public static TestPlan Plan() => {{OneScenario}};
            }
            """, "two.cs"));

        Assert.Equal(new SourceLocation("two.cs", 7, 28), error.Location);
        Assert.Equal("two.cs has 2 entry points (First.Plan at two.cs:3:28, Second.Plan at two.cs:7:28); keep one", error.Reason);
    }

    [Theory]
    [InlineData("public static TestPlan Plan(int vus) => null!;", 28, "must take no parameters")]
    [InlineData("public static string Plan() => \"\";", 26, "returns string, not TestPlan or Task<TestPlan>")]
    [InlineData("internal static TestPlan Plan() => null!;", 30, "is not public")]
    [InlineData("public TestPlan Plan() => null!;", 21, "cannot be the entry point: it is not static")]
    public void A_Plan_with_the_wrong_shape_is_an_error_at_the_method(string declaration, int column, string reason)
    {
        var error = Assert.Throws<PlanException>(() => TestFileCompiler.Compile($$"""
            public class Shape
            {
                {{declaration}}
            }
            """, "shape.cs"));

        Assert.Equal(new SourceLocation("shape.cs", 3, column), error.Location);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Plan_returning_null_is_an_error_at_the_method()
    {
        using var compiled = TestFileCompiler.Compile("""
            public static class Empty
            {
                public static TestPlan Plan() => null!;
            }
            """, "empty.cs");

        var error = await Assert.ThrowsAsync<PlanException>(() => compiled.CreatePlanAsync());

        Assert.Equal(new SourceLocation("empty.cs", 3, 28), error.Location);
        Assert.Equal("Plan() returned no plan", error.Reason);
    }
}
