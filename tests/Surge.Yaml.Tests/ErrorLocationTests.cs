using Surge.Plans;

namespace Surge.Yaml.Tests;

/// <summary>Every user mistake names the file, line and column of the node at fault.</summary>
public sealed class ErrorLocationTests
{
    [Fact]
    public void Bad_indentation_is_a_syntax_error_at_the_line_yaml_reports()
    {
        var error = Yaml.ErrorAt("""
            scenarios:
              s:
                executor: shared-iterations
               requests: []
            """, 4, 4);
        Assert.StartsWith("YAML syntax error: ", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unclosed_quote_is_a_syntax_error_at_the_quote()
    {
        var error = Yaml.ErrorAt("options:\n  baseUrl: \"http://127.0.0.1\nrequests: []\n", 2, 12);
        Assert.StartsWith("YAML syntax error: ", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_top_level_key_suggests_the_closest_one()
    {
        var error = Yaml.ErrorAt("senarios:\n  s: {}\n", 1, 1);
        Assert.Equal(
            "unknown key 'senarios' in the test file; did you mean 'scenarios'? Allowed: options, profiles, metrics, thresholds, data, setup, teardown, verify, scenarios, vus, duration, iterations, stages, requests",
            error.Reason);
    }

    [Fact]
    public void An_unknown_scenario_key_suggests_the_closest_one()
    {
        var error = Yaml.ErrorAt("""
            scenarios:
              s:
                executor: constant-vus
                duration: 10s
                gracefulStopp: 5s
            """, 5, 5);
        Assert.Equal(
            "unknown key 'gracefulStopp' in scenario 's'; did you mean 'gracefulStop'? Allowed: executor, startTime, gracefulStop, tags, env, data, requests, flows, users, vus, duration",
            error.Reason);
    }

    [Fact]
    public void An_unknown_executor_suggests_the_closest_one()
    {
        var error = Yaml.ErrorAt("""
            scenarios:
              s:
                executor: constant-vu
            """, 3, 15);
        Assert.Equal(
            "unknown executor 'constant-vu'; did you mean 'constant-vus'? Allowed: constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate, shared-iterations, per-vu-iterations, externally-controlled",
            error.Reason);
    }

    [Fact]
    public void A_bad_duration_points_at_its_value()
    {
        var error = Yaml.ErrorAt("""
            scenarios:
              s:
                executor: constant-vus
                duration: 30 seconds
            """, 4, 15);
        Assert.StartsWith("duration: '30 seconds' is not a duration", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_url_without_base_url_points_at_the_url()
    {
        var error = Yaml.ErrorAt("requests:\n  - method: GET\n    url: /items\n", 3, 10);
        Assert.Equal(
            "relative url '/items' needs a base URL: set options.baseUrl (or --base-url), or write an absolute http(s) URL",
            error.Reason);
    }

    [Fact]
    public void A_duplicate_key_points_at_the_second_occurrence()
    {
        var error = Yaml.ErrorAt("""
            scenarios:
              s:
                executor: constant-vus
                duration: 10s
                duration: 20s
            """, 5, 5);
        Assert.Equal("duplicate key 'duration'; a key may appear only once in a mapping", error.Reason);
    }

    [Fact]
    public void A_mapping_where_a_list_belongs_is_rejected_at_the_value()
    {
        var error = Yaml.ErrorAt("requests:\n  url: http://127.0.0.1/\n", 2, 3);
        Assert.StartsWith("requests must be a list", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_document_is_rejected()
    {
        var error = Yaml.ErrorAt("requests: [{ url: 'http://127.0.0.1/' }]\n---\nvus: 2\n", 3, 1);
        Assert.StartsWith("a test file holds one YAML document", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_exception_message_leads_with_file_line_and_column()
    {
        var error = Yaml.Error("senarios: {}\n");
        Assert.StartsWith("test.yaml:1:1: unknown key 'senarios'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_a_plan_exception()
    {
        var path = Path.Combine(Path.GetTempPath(), $"surge-missing-{Guid.NewGuid():N}.yaml");
        var error = Assert.Throws<PlanException>(() => YamlPlanLoader.Load(path));
        Assert.Equal($"test file '{path}' does not exist", error.Reason);
    }

    [Theory]
    [InlineData("requests: [{ url: 'http://127.0.0.1/', json: &a [*a] }]")]
    [InlineData("requests: [{ url: 'http://127.0.0.1/', json: *missing }]")]
    [InlineData("? [a, b]\n: c\n")]
    [InlineData("- a\n- b\n")]
    [InlineData("just text")]
    [InlineData("requests: [{ url: 'http://127.0.0.1/', timeout: [1] }]")]
    [InlineData("vus: 99999999999\nrequests: [{ url: 'http://127.0.0.1/' }]")]
    [InlineData("requests: [{ url: 'http://127.0.0.1/', timeout: 99999999999999999999999h }]")]
    [InlineData("\t")]
    public void Odd_input_is_a_plan_exception_with_a_location(string yaml)
    {
        Assert.NotNull(Yaml.Error(yaml).Location);
    }
}
