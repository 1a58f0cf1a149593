using Surge.Plans;
using Surge.Scripting;

namespace Surge.Scripting.Tests;

public sealed class CompileErrorTests
{
    private static PlanException CompileError(string body, string fileName = "broken.cs") =>
        Assert.Throws<PlanException>(() => TestFileCompiler.Compile($$"""
            public static class Broken
            {
                public static TestPlan Plan()
                {
            {{body}}
                    return null!;
                }
            }
            """, fileName));

    [Fact]
    public void An_undefined_name_is_reported_at_its_line_and_column()
    {
        var error = CompileError("        var vus = missingName + 1;");

        Assert.Equal(new SourceLocation("broken.cs", 5, 19), error.Location);
        Assert.Equal("CS0103: The name 'missingName' does not exist in the current context", error.Reason);
        Assert.Equal("broken.cs:5:19: CS0103: The name 'missingName' does not exist in the current context", error.Message);
    }

    [Fact]
    public void A_syntax_error_is_reported_where_the_parser_stopped()
    {
        var error = CompileError("        var vus = 1");

        Assert.Equal(new SourceLocation("broken.cs", 5, 20), error.Location);
        Assert.Equal("CS1002: ; expected", error.Reason);
    }

    [Fact]
    public void Every_error_is_listed_each_with_its_own_location()
    {
        var error = CompileError("""
                    var vus = firstMissing;
                    var rate = secondMissing;
            """);

        Assert.Equal(new SourceLocation("broken.cs", 5, 19), error.Location);
        Assert.Equal(
            """
            broken.cs:5:19: CS0103: The name 'firstMissing' does not exist in the current context
            broken.cs:6:20: CS0103: The name 'secondMissing' does not exist in the current context
            """.ReplaceLineEndings("\n"),
            error.Message);
    }

    [Fact]
    public void A_file_read_from_disk_is_named_by_its_path_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"surge-scripting-{Guid.NewGuid():N}.cs");
        File.WriteAllText(path, "public static class OnDisk { public static TestPlan Plan() => undefinedPlan; }");
        try
        {
            var error = Assert.Throws<PlanException>(() => TestFileCompiler.Compile(path));

            Assert.Equal(new SourceLocation(path, 1, 63), error.Location);
            Assert.StartsWith("CS0103: The name 'undefinedPlan'", error.Reason, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_file_is_a_plan_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), $"surge-scripting-{Guid.NewGuid():N}-missing.cs");

        var error = Assert.Throws<PlanException>(() => TestFileCompiler.Compile(path));

        Assert.StartsWith($"cannot read C# test file {path}: ", error.Reason, StringComparison.Ordinal);
    }
}
