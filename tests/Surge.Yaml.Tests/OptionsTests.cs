using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class OptionsTests
{
    private const string Requests = "requests: [{ url: 'http://127.0.0.1/' }]\n";

    [Fact]
    public void Options_are_read_into_the_plan()
    {
        var plan = Yaml.Load("""
            options:
              summaryTrendStats: [avg, p(99.9), count]
              tags: { suite: demo, team: perf }
              maxSeriesPerMetric: 50
            """ + "\n" + Requests);
        Assert.Equal(["avg", "p(99.9)", "count"], plan.SummaryTrendStats);
        Assert.Equal(new Dictionary<string, string> { ["suite"] = "demo", ["team"] = "perf" }, plan.Tags);
        Assert.Equal(50, plan.MaxSeriesPerMetric);
        Assert.Equal(Yaml.File, plan.Source);
    }

    [Fact]
    public void Http_options_are_read_with_k6_names()
    {
        var plan = Yaml.Load("options:\n  insecureSkipTLSVerify: true\n  connections: shared\n" + Requests);
        Assert.True(plan.Http.InsecureSkipTlsVerify);
        Assert.Equal(ConnectionSharing.Shared, plan.Http.Connections);
    }

    [Fact]
    public void Connections_are_per_vu_and_certificates_checked_unless_the_file_says_otherwise()
    {
        var plan = Yaml.Load(Requests);
        Assert.False(plan.Http.InsecureSkipTlsVerify);
        Assert.Equal(ConnectionSharing.PerVu, plan.Http.Connections);
    }

    [Fact]
    public void An_unknown_connection_mode_gets_a_suggestion_at_its_value()
    {
        var error = Yaml.ErrorAt("options:\n  connections: shard\n" + Requests, 2, 16);
        Assert.StartsWith("unknown connections 'shard'; did you mean 'shared'?", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_options_keep_the_plan_defaults()
    {
        var plan = Yaml.Load(Requests);
        Assert.Same(TestPlan.DefaultSummaryTrendStats, plan.SummaryTrendStats);
        Assert.Empty(plan.Tags);
        Assert.Equal(1000, plan.MaxSeriesPerMetric);
        Assert.Empty(plan.Thresholds);
    }

    [Fact]
    public void A_summary_statistic_written_without_parentheses_gets_a_suggestion()
    {
        var error = Yaml.ErrorAt("options:\n  summaryTrendStats: [avg, p95]\n" + Requests, 2, 28);
        Assert.StartsWith("'p95' is not a trend statistic; did you mean 'p(95)'?", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_base_url_is_rejected()
    {
        var error = Yaml.ErrorAt("options:\n  baseUrl: 127.0.0.1:5000\n" + Requests, 2, 12);
        Assert.StartsWith("baseUrl '127.0.0.1:5000' must be an absolute http or https URL", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_max_series_below_one_is_rejected()
    {
        var error = Yaml.ErrorAt("options:\n  maxSeriesPerMetric: 0\n" + Requests, 2, 23);
        Assert.Equal("maxSeriesPerMetric must be at least 1, got 0", error.Reason);
    }
}
