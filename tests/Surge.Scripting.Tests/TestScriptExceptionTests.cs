using Surge.Plans;
using Surge.Scripting;

namespace Surge.Scripting.Tests;

public sealed class TestScriptExceptionTests
{
    [Fact]
    public async Task An_exception_thrown_by_Plan_carries_the_test_file_and_throwing_line()
    {
        using var compiled = TestFileCompiler.Compile("""
            public static class Failing
            {
                public static TestPlan Plan() => Build();

                private static TestPlan Build()
                {
                    throw new InvalidOperationException("no target configured");
                }
            }
            """, "failing.cs");

        var error = await Assert.ThrowsAsync<TestScriptException>(() => compiled.CreatePlanAsync());

        Assert.IsType<InvalidOperationException>(error.InnerException);
        Assert.Equal(new SourceLocation("failing.cs", 7, 9), error.Location);
        Assert.Equal("failing.cs:7:9: Plan() threw InvalidOperationException: no target configured", error.Message);
        Assert.Contains("Failing.Build() in failing.cs:line 7", error.ScriptStackTrace, StringComparison.Ordinal);
        Assert.Contains("Failing.Plan() in failing.cs:line 3", error.ScriptStackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_exception_after_an_await_in_an_async_Plan_names_its_line()
    {
        using var compiled = TestFileCompiler.Compile("""
            public static class FailingLater
            {
                public static async Task<TestPlan> Plan()
                {
                    await Task.Yield();
                    throw new ArgumentException("bad stage");
                }
            }
            """, "later.cs");

        var error = await Assert.ThrowsAsync<TestScriptException>(() => compiled.CreatePlanAsync());

        Assert.IsType<ArgumentException>(error.InnerException);
        Assert.Equal(new SourceLocation("later.cs", 6, 9), error.Location);
        Assert.Contains("later.cs:line 6", error.ScriptStackTrace, StringComparison.Ordinal);
    }
}
