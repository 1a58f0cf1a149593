using System.Globalization;
using Surge.Templating;

namespace Surge.Tests.Templating;

public sealed class TemplateHelperTests
{
    private static readonly Dictionary<string, string> Environment = new()
    {
        ["BASE_URL"] = "http://127.0.0.1:5000",
        ["EMPTY"] = "",
    };

    private static string RenderOnce(string text) =>
        Template.Parse(text, environment: Environment).Render(DictionaryVariables.Empty);

    [Theory]
    [InlineData("{{ uuid }}")]
    [InlineData("{{uuid()}}")]
    public void Uuid_renders_a_fresh_version_4_guid_each_time(string text)
    {
        var template = Template.Parse(text);
        var seen = new HashSet<string>();

        for (var i = 0; i < 1_000; i++)
        {
            var rendered = template.Render(DictionaryVariables.Empty);
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", rendered);
            Assert.True(seen.Add(rendered));
        }
        Assert.False(template.IsConstant);
    }

    [Fact]
    public void RandomInt_stays_within_its_inclusive_bounds_over_many_renders()
    {
        var template = Template.Parse("{{ randomInt(-50, 1000) }}");

        var values = Enumerable.Range(0, 10_000)
            .Select(_ => long.Parse(template.Render(DictionaryVariables.Empty), CultureInfo.InvariantCulture))
            .ToList();

        Assert.All(values, v => Assert.InRange(v, -50, 1000));
        Assert.Contains(values, v => v < 0);
    }

    [Fact]
    public void RandomInt_hits_both_ends_of_a_small_range()
    {
        var template = Template.Parse("{{randomInt(1,3)}}");

        var seen = Enumerable.Range(0, 1_000).Select(_ => template.Render(DictionaryVariables.Empty)).ToHashSet();

        Assert.Equal(["1", "2", "3"], seen.Order());
    }

    [Fact]
    public void RandomInt_with_equal_bounds_always_renders_that_number()
    {
        Assert.Equal("7", RenderOnce("{{ randomInt(7, 7) }}"));
    }

    [Fact]
    public void RandomString_has_the_asked_length_and_only_ascii_letters_and_digits()
    {
        var template = Template.Parse("{{ randomString(12) }}");
        var all = new HashSet<char>();

        for (var i = 0; i < 2_000; i++)
        {
            var rendered = template.Render(DictionaryVariables.Empty);
            Assert.Equal(12, rendered.Length);
            Assert.All(rendered, c => Assert.True(char.IsAsciiLetterOrDigit(c), $"'{c}' is not alphanumeric"));
            all.UnionWith(rendered);
        }
        // 24,000 draws from 62 symbols: every one of them shows up.
        Assert.Equal(62, all.Count);
    }

    [Fact]
    public void Timestamp_renders_the_current_unix_time_in_milliseconds()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var rendered = long.Parse(RenderOnce("{{ timestamp }}"), CultureInfo.InvariantCulture);
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.InRange(rendered, before, after);
        Assert.InRange(long.Parse(RenderOnce("{{ timestamp(\"ms\") }}"), CultureInfo.InvariantCulture), before, long.MaxValue);
    }

    [Fact]
    public void Timestamp_in_seconds_renders_the_current_unix_time_in_seconds()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var rendered = long.Parse(RenderOnce("{{ timestamp('s') }}"), CultureInfo.InvariantCulture);

        Assert.InRange(rendered, before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
    }

    [Fact]
    public void Timestamp_iso_renders_the_current_utc_time_in_iso_8601()
    {
        var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);
        var rendered = RenderOnce("{{ timestamp(\"iso\") }}");
        var after = DateTimeOffset.UtcNow;

        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", rendered);
        var parsed = DateTimeOffset.Parse(rendered, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.InRange(parsed, before, after);
    }

    [Fact]
    public void Env_reads_the_environment_given_at_compile_time_and_stays_constant()
    {
        var template = Template.Parse("{{ env(\"BASE_URL\") }}/users", environment: Environment);

        Assert.True(template.IsConstant);
        Assert.Equal("http://127.0.0.1:5000/users", template.Render(DictionaryVariables.Empty));
    }

    [Fact]
    public void Env_uses_its_default_only_when_the_variable_is_not_set()
    {
        Assert.Equal("fallback", RenderOnce("{{ env('MISSING', 'fallback') }}"));
        Assert.Equal("", RenderOnce("{{ env('EMPTY', 'fallback') }}"));
        Assert.Equal("http://127.0.0.1:5000", RenderOnce("{{ env('BASE_URL', 'fallback') }}"));
    }

    [Fact]
    public void Env_without_a_given_environment_reads_the_process_environment()
    {
        var name = $"SURGE_TEMPLATE_TEST_{Guid.NewGuid():N}";
        System.Environment.SetEnvironmentVariable(name, "from-process");
        try
        {
            Assert.Equal("from-process", Template.Parse($"{{{{ env(\"{name}\") }}}}").Render(DictionaryVariables.Empty));
        }
        finally
        {
            System.Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void A_given_environment_hides_the_process_environment()
    {
        var error = Assert.Throws<TemplateSyntaxException>(() => Template.Parse("{{ env(\"PATH\") }}", environment: Environment));

        Assert.Contains("environment variable 'PATH' is not set", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_string_argument_may_escape_its_quote_with_a_backslash()
    {
        Assert.Equal("it's", RenderOnce("{{ env('NOPE', 'it\\'s') }}"));
    }

    [Fact]
    public void Helper_names_win_over_variables_of_the_same_name()
    {
        var variables = new DictionaryVariables(new Dictionary<string, string> { ["uuid"] = "mine" });

        Assert.NotEqual("mine", Template.Parse("{{ uuid }}").Render(variables));
    }
}
