using Surge.Metrics;
using Surge.Plans;
using Surge.Thresholds;

namespace Surge.Yaml.Tests;

public sealed class ThresholdTests
{
    private const string Requests = "requests: [{ url: 'http://127.0.0.1/' }]\n";

    [Fact]
    public void Thresholds_parse_keys_expressions_and_abort_options()
    {
        var plan = Yaml.Load("""
            thresholds:
              http_req_duration: ["p(95)<500", "p(99)<1000"]
              "http_req_duration{name:login}": ["p(95)<300"]
              http_req_failed:
                - threshold: rate<0.01
                  abortOnFail: true
                  delayAbortEval: 10s
            """ + "\n" + Requests);
        Assert.Equal(4, plan.Thresholds.Count);

        var p95 = plan.Thresholds[0];
        Assert.Equal(new MetricKey("http_req_duration", TagSet.Empty), p95.Key);
        Assert.Equal(("p(95)", ComparisonOperator.Less, 500.0), (p95.Expression.Stat, p95.Expression.Operator, p95.Expression.Bound));
        Assert.False(p95.AbortOnFail);
        Assert.Equal(TimeSpan.Zero, p95.DelayAbortEval);
        Assert.Equal(new SourceLocation(Yaml.File, 2, 23), p95.Location);

        Assert.Equal(1000, plan.Thresholds[1].Expression.Bound);

        var login = plan.Thresholds[2];
        Assert.Equal(new MetricKey("http_req_duration", TagSet.Empty.With("name", "login")), login.Key);
        Assert.Equal(300, login.Expression.Bound);

        var failed = plan.Thresholds[3];
        Assert.Equal("http_req_failed", failed.Key.Metric);
        Assert.Equal(("rate", 0.01), (failed.Expression.Stat, failed.Expression.Bound));
        Assert.True(failed.AbortOnFail);
        Assert.Equal(TimeSpan.FromSeconds(10), failed.DelayAbortEval);
        Assert.Equal(new SourceLocation(Yaml.File, 5, 18), failed.Location);
    }

    [Fact]
    public void A_threshold_may_allow_no_data_and_none_does_by_default()
    {
        var plan = Yaml.Load("""
            thresholds:
              "http_req_duration{name:rare}":
                - threshold: p(95)<500
                  allowNoData: true
              http_req_failed: ["rate<0.01"]
            """ + "\n" + Requests);

        Assert.Equal([true, false], plan.Thresholds.Select(t => t.AllowNoData));
    }

    [Fact]
    public void A_bad_expression_points_at_the_column_inside_the_string()
    {
        // Line 2 is `  http_req_duration: ["p(95)<abc"]`: the quote is at column 23, so 'abc', the 7th character, is at 30.
        var error = Yaml.ErrorAt("thresholds:\n  http_req_duration: [\"p(95)<abc\"]\n" + Requests, 2, 30);
        Assert.Equal("'abc' in 'p(95)<abc' is not a number", error.Reason);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e309")]
    public void A_bound_that_is_not_a_finite_number_is_rejected_at_the_bound(string bound)
    {
        var error = Yaml.ErrorAt($"thresholds:\n  http_req_duration: [\"p(95)<{bound}\"]\n" + Requests, 2, 30);
        Assert.Equal($"'{bound}' in 'p(95)<{bound}' is not a finite number; a threshold needs a bound that a measurement can cross", error.Reason);
    }

    [Fact]
    public void A_bad_operator_in_a_plain_scalar_points_inside_it()
    {
        var error = Yaml.ErrorAt("thresholds:\n  http_req_duration:\n    - p(95)=>5\n" + Requests, 3, 12);
        Assert.Contains("unknown operator", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_tag_filter_points_inside_the_key()
    {
        // The quoted key starts at column 3; its value at 4; the filter's pair 'oops' is the value's 19th character.
        var error = Yaml.ErrorAt("thresholds:\n  \"http_req_duration{oops}\": [\"p(95)<1\"]\n" + Requests, 2, 22);
        Assert.Contains("'oops' in 'http_req_duration{oops}' is not a tag filter", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_metric_is_rejected_with_a_suggestion()
    {
        var error = Yaml.ErrorAt("thresholds:\n  http_req_duraton: [\"p(95)<500\"]\n" + Requests, 2, 3);
        Assert.StartsWith("unknown metric 'http_req_duraton'; did you mean 'http_req_duration'? Allowed: http_reqs, http_req_duration,", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_statistic_of_the_wrong_kind_is_rejected()
    {
        var error = Yaml.ErrorAt("thresholds:\n  http_req_failed: [\"p(95)<500\"]\n" + Requests, 2, 22);
        Assert.Equal("'p(95)' does not apply to rate metric 'http_req_failed'; use rate", error.Reason);
    }

    [Theory]
    [InlineData("http_reqs", "avg<1", "'avg' does not apply to counter metric 'http_reqs'; use count or rate")]
    [InlineData("vus", "rate<1", "'rate' does not apply to gauge metric 'vus'; use value, min or max")]
    [InlineData("http_req_duration", "rate<1", "'rate' does not apply to trend metric 'http_req_duration'; use avg, min, med, max, count or p(N)")]
    public void Each_metric_kind_names_the_statistics_it_allows(string metric, string expression, string expected)
    {
        Assert.Equal(expected, Yaml.Error($"thresholds:\n  {metric}: [\"{expression}\"]\n{Requests}").Reason);
    }

    [Fact]
    public void Thresholds_must_be_lists()
    {
        var error = Yaml.ErrorAt("thresholds:\n  http_req_failed: rate<0.01\n" + Requests, 2, 20);
        Assert.StartsWith("thresholds of 'http_req_failed' must be a list", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_threshold_entry_with_an_unknown_key_is_rejected()
    {
        var error = Yaml.ErrorAt("thresholds:\n  http_req_failed:\n    - threshold: rate<0.01\n      abortOnFial: true\n" + Requests, 4, 7);
        Assert.StartsWith("unknown key 'abortOnFial' in a threshold; did you mean 'abortOnFail'?", error.Reason, StringComparison.Ordinal);
    }
}
