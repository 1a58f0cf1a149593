using System.Text;
using Surge.Plans;
using Surge.Templating;

namespace Surge.Tests.Templating;

public sealed class TemplateTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static DictionaryVariables Vars(params (string Name, string Value)[] values) =>
        new(values.ToDictionary(v => v.Name, v => v.Value));

    private static Template Compile(string text, Dictionary<string, string>? environment = null) =>
        Template.Parse(text, new SourceLocation("test.yaml", 7, 12), environment ?? NoEnvironment);

    [Theory]
    [InlineData("")]
    [InlineData("plain text")]
    [InlineData("{\"a\":{\"b\":[1,2]}}")]
    [InlineData("closing braces }} alone are text")]
    [InlineData("one { brace")]
    public void A_text_without_double_braces_is_constant_and_renders_as_itself(string text)
    {
        var template = Compile(text);

        Assert.True(template.IsConstant);
        Assert.True(template.TryGetConstant(out var constant));
        Assert.Equal(text, constant);
        Assert.Equal(text, template.Render(DictionaryVariables.Empty));
        Assert.Empty(template.VariableNames);
    }

    [Fact]
    public void A_variable_is_looked_up_at_every_render()
    {
        var template = Compile("Bearer {{ token }}");

        Assert.False(template.IsConstant);
        Assert.False(template.TryGetConstant(out _));
        Assert.Equal("Bearer abc", template.Render(Vars(("token", "abc"))));
        Assert.Equal("Bearer xyz", template.Render(Vars(("token", "xyz"))));
        Assert.Equal(["token"], template.VariableNames);
    }

    [Theory]
    [InlineData("{{id}}")]
    [InlineData("{{ id }}")]
    [InlineData("{{   id\t}}")]
    [InlineData("{{\n  id\n}}")]
    public void Whitespace_inside_the_braces_is_optional(string text)
    {
        Assert.Equal("42", Compile(text).Render(Vars(("id", "42"))));
    }

    [Fact]
    public void Several_expressions_and_literals_render_in_order()
    {
        var template = Compile("{\"user\":\"{{user}}\",\"item\":{{ item_id }},\"qty\":{{qty}}}");

        var rendered = template.Render(Vars(("user", "ann"), ("item_id", "17"), ("qty", "3")));

        Assert.Equal("{\"user\":\"ann\",\"item\":17,\"qty\":3}", rendered);
        Assert.Equal(["user", "item_id", "qty"], template.VariableNames);
    }

    [Theory]
    [InlineData("user.name")]
    [InlineData("first-name")]
    [InlineData("_private2")]
    public void Variable_names_may_hold_dots_dashes_underscores_and_digits(string name)
    {
        Assert.Equal("<v>", Compile($"<{{{{{name}}}}}>").Render(Vars((name, "v"))));
    }

    [Fact]
    public void RenderTo_appends_to_the_callers_builder()
    {
        var builder = new StringBuilder("GET ");

        Compile("/users/{{ id }}").RenderTo(builder, Vars(("id", "9")));

        Assert.Equal("GET /users/9", builder.ToString());
    }

    [Fact]
    public void An_undefined_variable_fails_the_render_naming_the_variable_and_the_source()
    {
        var template = Compile("Bearer {{ token }}");

        var error = Assert.Throws<UndefinedVariableException>(() => template.Render(Vars(("tokn", "abc"))));

        Assert.Equal("token", error.VariableName);
        Assert.Equal(new SourceLocation("test.yaml", 7, 12), error.Location);
        Assert.StartsWith("test.yaml:7:12: variable 'token' is not defined", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_undefined_variable_spelled_like_a_helper_suggests_the_helper()
    {
        var error = Assert.Throws<UndefinedVariableException>(() => Compile("{{ UUID }}").Render(DictionaryVariables.Empty));

        Assert.Contains("did you mean uuid?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{{{{", "{{")]
    [InlineData("a {{{{ b }} c", "a {{ b }} c")]
    [InlineData("{{{{{{{{", "{{{{")]
    public void Four_braces_write_a_literal_pair_and_keep_the_text_constant(string text, string expected)
    {
        var template = Compile(text);

        Assert.True(template.IsConstant);
        Assert.Equal(expected, template.Render(DictionaryVariables.Empty));
    }

    [Fact]
    public void An_escaped_pair_can_sit_next_to_a_real_expression()
    {
        Assert.Equal("{{x}} = 5", Compile("{{{{x}} = {{x}}").Render(Vars(("x", "5"))));
    }

    [Fact]
    public void A_closing_pair_inside_a_string_argument_does_not_end_the_expression()
    {
        var template = Compile("{{ env(\"MISSING\", \"a}}b\") }}!");

        Assert.Equal("a}}b!", template.Render(DictionaryVariables.Empty));
    }

    [Fact]
    public void The_same_template_renders_correctly_from_eight_threads_at_once()
    {
        var template = Compile("{\"vu\":{{vu}},\"n\":{{ n }},\"r\":{{ randomInt(1, 3) }},\"id\":\"{{uuid}}\"}");
        const int Threads = 8;
        const int RendersPerThread = 2_000;
        var failures = 0;
        var start = new Barrier(Threads);

        var workers = Enumerable.Range(0, Threads).Select(vu => new Thread(() =>
        {
            var builder = new StringBuilder();
            start.SignalAndWait();
            for (var n = 0; n < RendersPerThread; n++)
            {
                builder.Clear();
                template.RenderTo(builder, Vars(("vu", $"{vu}"), ("n", $"{n}")));
                var text = builder.ToString();
                var prefix = $"{{\"vu\":{vu},\"n\":{n},\"r\":";
                var random = text.Length > prefix.Length ? text[prefix.Length] : '?';
                var id = text.Length >= prefix.Length + 44 ? text.Substring(prefix.Length + 8, 36) : "";
                var expected = $"{prefix}{random},\"id\":\"{id}\"}}";
                if (text != expected || random is < '1' or > '3' || !Guid.TryParse(id, out _))
                {
                    Interlocked.Increment(ref failures);
                }
            }
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());

        Assert.Equal(0, failures);
    }
}
