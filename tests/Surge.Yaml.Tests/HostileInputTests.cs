using System.Text;
using Surge.Plans;

namespace Surge.Yaml.Tests;

/// <summary>
/// Files that used to crash the reader or exhaust memory: each is a plan error (exit 104) at a position, naming the
/// bound it hit and its value.
/// </summary>
public sealed class HostileInputTests
{
    [Fact]
    public void A_bracket_that_crashes_yamldotnets_scanner_is_a_syntax_error_at_a_position()
    {
        var error = Yaml.Error("""
            scenarios:
              s:
                executor: shared-iterations
                requests:
                  - name: get item
                  [  url: /items/1
                  - name: create order
            """);
        Assert.Equal(
            "test.yaml:6:7: YAML syntax error: the YAML reader cannot go on from here; check the indentation, brackets and quotes on this line and the one before",
            error.Message);
    }

    [Fact]
    public void An_alias_bomb_in_a_json_body_stops_at_the_value_limit()
    {
        // Issue 10: 9 levels of 9 aliases grew to 3.75 GB.
        var yaml = new StringBuilder("""
            options: { baseUrl: "http://127.0.0.1:1" }
            requests:
              - post: /items
                json:
                  a0: &a0 lol

            """);
        for (var level = 1; level <= 9; level++)
        {
            var aliases = string.Join(", ", Enumerable.Repeat($"*a{level - 1}", 9));
            yaml.Append(FormattableString.Invariant($"      a{level}: &a{level} [{aliases}]\n"));
        }
        var error = Yaml.Error(yaml.ToString());
        Assert.Equal(
            "json expands to more than 1000000 values (the limit); aliases (*name) repeat what they point to, so a few lines can expand without end",
            error.Reason);
        Assert.Equal(new SourceLocation(Yaml.File, 4, 5), error.Location);
    }

    [Fact]
    public void A_file_larger_than_the_limit_is_refused_before_it_is_parsed()
    {
        var path = Path.Combine(Path.GetTempPath(), $"surge-large-{Guid.NewGuid():N}.yaml");
        try
        {
            using (var file = File.Create(path))
            {
                file.SetLength(YamlLimits.MaxFileBytes + 1);
            }
            var error = Assert.Throws<PlanException>(() => YamlPlanLoader.Load(path));
            Assert.Equal(
                $"{path}:1:1: the test file is larger than 4194304 bytes (the limit); split it into several tests, or repeat steps with loop:",
                error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Text_larger_than_the_limit_is_refused_before_it_is_parsed()
    {
        var error = Yaml.ErrorAt("#" + new string('x', YamlLimits.MaxFileBytes), 1, 1);
        Assert.Equal("the test file is larger than 4194304 bytes (the limit); split it into several tests, or repeat steps with loop:", error.Reason);
    }

    [Fact]
    public void A_journey_of_more_steps_than_the_limit_stops_at_the_first_step_past_it()
    {
        var yaml = new StringBuilder("options: { baseUrl: \"http://127.0.0.1:1\" }\nrequests:\n");
        for (var i = 0; i <= YamlLimits.MaxSteps; i++)
        {
            yaml.Append("  - get: /a\n");
        }
        var error = Yaml.ErrorAt(yaml.ToString(), 3 + YamlLimits.MaxSteps, 5);
        Assert.Equal(
            "the test has more than 20000 steps (the limit), counting each repeat of an alias (*name); loop: repeats steps without writing them out",
            error.Reason);
    }

    [Fact]
    public void A_file_of_more_values_than_the_limit_stops_at_the_first_value_past_it()
    {
        var yaml = new StringBuilder("tags:\n");
        for (var i = 0; i < YamlLimits.MaxValues; i++)
        {
            yaml.Append("- a\n");
        }
        var error = Yaml.ErrorAt(yaml.ToString(), YamlLimits.MaxValues - 1, 3);
        Assert.Equal("the test file holds more than 150000 values (the limit); split it into several tests, or repeat steps with loop:", error.Reason);
    }

    [Fact]
    public void Steps_repeated_by_nested_aliases_count_towards_the_step_limit()
    {
        var yaml = new StringBuilder("""
            options: { baseUrl: "http://127.0.0.1:1" }
            requests:
              - group: level0
                steps: &s0 [ { get: /a }, { get: /a }, { get: /a }, { get: /a }, { get: /a }, { get: /a }, { get: /a }, { get: /a }, { get: /a }, { get: /a } ]

            """);
        for (var level = 1; level <= 5; level++)
        {
            var groups = string.Join(", ", Enumerable.Repeat(FormattableString.Invariant($"{{ group: g, steps: *s{level - 1} }}"), 10));
            yaml.Append(FormattableString.Invariant($"  - group: level{level}\n    steps: &s{level} [ {groups} ]\n"));
        }
        var error = Yaml.Error(yaml.ToString());
        Assert.Equal(
            "the test has more than 20000 steps (the limit), counting each repeat of an alias (*name); loop: repeats steps without writing them out",
            error.Reason);
    }

    [Fact]
    public void Steps_that_include_themselves_through_an_alias_stop_at_the_nesting_limit()
    {
        var error = Yaml.ErrorAt("""
            options: { baseUrl: "http://127.0.0.1:1" }
            requests: &steps
              - group: again
                steps: *steps
            """, 3, 5);
        Assert.Equal(
            "steps are nested more than 32 levels deep in groups and loops (the limit); an alias (*name) inside the steps it names nests without end",
            error.Reason);
    }

    [Fact]
    public void Lists_nested_deeper_than_the_limit_are_refused_before_the_reader_recurses_into_them()
    {
        var error = Yaml.ErrorAt("requests: " + new string('[', 100_000), 1, 110);
        Assert.Equal("mappings and lists are nested more than 100 levels deep (the limit is 100)", error.Reason);
    }
}
