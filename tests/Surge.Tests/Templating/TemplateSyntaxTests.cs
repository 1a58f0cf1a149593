using Surge.Templating;

namespace Surge.Tests.Templating;

public sealed class TemplateSyntaxTests
{
    private static TemplateSyntaxException Fails(string text) =>
        Assert.Throws<TemplateSyntaxException>(() => Template.Parse(text, environment: new Dictionary<string, string>()));

    [Theory]
    [InlineData("Bearer {{ token", 8)]
    [InlineData("{{", 1)]
    [InlineData("a {{ b }} c {{ d }", 13)]
    [InlineData("{{ randomInt(1, 2 }}", 19)]
    public void An_unclosed_expression_names_the_column_of_its_opening_braces(string text, int column)
    {
        var error = Fails(text);

        Assert.Equal(column, error.Column);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void An_unclosed_expression_says_so()
    {
        var error = Fails("Bearer {{ token");

        Assert.StartsWith("'{{' is never closed by '}}' (column 8 of template 'Bearer {{ token')", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{}}", 1)]
    [InlineData("x = {{   }}", 5)]
    public void An_empty_expression_is_an_error_at_its_braces(string text, int column)
    {
        var error = Fails(text);

        Assert.StartsWith("empty expression", error.Message, StringComparison.Ordinal);
        Assert.Equal(column, error.Column);
    }

    [Theory]
    [InlineData("{{ randint(1, 5) }}", "randomInt")]
    [InlineData("{{ UUID() }}", "uuid")]
    [InlineData("{{ randomstring(3) }}", "randomString")]
    [InlineData("{{ timestmp() }}", "timestamp")]
    [InlineData("{{ evn('X') }}", "env")]
    public void An_unknown_helper_suggests_the_nearest_one(string text, string suggestion)
    {
        var error = Fails(text);

        Assert.Contains($"did you mean {suggestion}?", error.Message, StringComparison.Ordinal);
        Assert.Equal(4, error.Column);
    }

    [Fact]
    public void An_unknown_helper_far_from_every_name_lists_the_helpers()
    {
        var error = Fails("id: {{ lookup(1) }}");

        Assert.StartsWith("unknown helper 'lookup': Helpers are uuid, randomInt(min, max)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("did you mean", error.Message, StringComparison.Ordinal);
        Assert.Equal(8, error.Column);
    }

    [Theory]
    [InlineData("{{ randomInt }}", "randomInt takes 2 arguments, not 0: write randomInt(min, max)", 4)]
    [InlineData("{{ randomInt(5) }}", "randomInt takes 2 arguments, not 1: write randomInt(min, max)", 4)]
    [InlineData("{{ randomString() }}", "randomString takes 1 argument, not 0: write randomString(length)", 4)]
    [InlineData("{{ uuid(4) }}", "uuid takes 0 arguments, not 1: write uuid", 4)]
    [InlineData("{{ timestamp('iso', 'x') }}", "timestamp takes 0 to 1 argument, not 2: write timestamp or timestamp(\"iso\")", 4)]
    [InlineData("{{ env }}", "env takes 1 to 2 arguments, not 0: write env(\"NAME\") or env(\"NAME\", \"default\")", 4)]
    public void A_wrong_argument_count_names_the_helper_and_its_usage(string text, string message, int column)
    {
        var error = Fails(text);

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(column, error.Column);
    }

    [Theory]
    [InlineData("{{ randomInt('1', 5) }}", "randomInt takes whole numbers, not the string \"1\"", 14)]
    [InlineData("{{ randomString(\"x\") }}", "randomString takes whole numbers, not the string \"x\"", 17)]
    [InlineData("{{ randomString(0) }}", "randomString's argument 0 is out of range", 17)]
    [InlineData("{{ randomString(1000001) }}", "randomString's argument 1000001 is out of range (1 to 1000000)", 17)]
    [InlineData("{{ randomInt(0, 9007199254740992) }}", "randomInt's argument 9007199254740992 is out of range", 17)]
    [InlineData("{{ randomInt(9, 1) }}", "randomInt(9, 1): min must not exceed max", 4)]
    [InlineData("{{ env(HOME) }}", "expected a number or a quoted string as an argument, not 'HOME'", 8)]
    [InlineData("{{ env(42) }}", "env takes quoted strings, not '42'", 8)]
    [InlineData("{{ timestamp(1) }}", "timestamp takes a quoted format", 14)]
    [InlineData("{{ timestamp('rfc') }}", "timestamp(\"rfc\"): the format must be \"ms\", \"s\" or \"iso\"", 14)]
    [InlineData("{{ env('NOPE') }}", "environment variable 'NOPE' is not set", 4)]
    public void A_wrong_argument_type_or_value_points_at_it(string text, string message, int column)
    {
        var error = Fails(text);

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(column, error.Column);
    }

    [Theory]
    [InlineData("{{ a b }}", "expected '}}' after 'a', not 'b'", 6)]
    [InlineData("{{ 42 }}", "expected a variable name or a helper, not '42'", 4)]
    [InlineData("{{{ x }}}", "unexpected '{' in an expression (write {{{{ for a literal {{)", 3)]
    [InlineData("{{ a + 1 }}", "unexpected '+' in an expression", 6)]
    [InlineData("{{ env('X }}", "the string starting with ' is never closed", 8)]
    [InlineData("{{ randomInt(1 2) }}", "expected ',' or ')' after an argument, not '2'", 16)]
    public void Stray_tokens_are_reported_where_they_stand(string text, string message, int column)
    {
        var error = Fails(text);

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void An_error_in_a_multi_line_body_names_its_line_and_column_within_that_line()
    {
        var error = Fails("{\n  \"id\": {{ id }},\n  \"n\": {{ randomInt(1) }}\n}");

        Assert.Equal(3, error.Line);
        Assert.Equal(11, error.Column);
        Assert.Contains("(line 3, column 11 of template '{...')", error.Message, StringComparison.Ordinal);
    }
}
