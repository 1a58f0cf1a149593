using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class ThinkTests
{
    private static IReadOnlyList<Step> Steps(string think) =>
        Yaml.OnlyScenario($"options:\n  baseUrl: http://127.0.0.1:5000\nrequests:\n  - url: /items\n  - think: {think}\n").Steps;

    [Fact]
    public void A_fixed_think_time_has_equal_bounds()
    {
        var think = Assert.IsType<ThinkStep>(Steps("2s")[1]);
        Assert.Equal(TimeSpan.FromSeconds(2), think.Min);
        Assert.Equal(TimeSpan.FromSeconds(2), think.Max);
        Assert.Equal(new SourceLocation(Yaml.File, 5, 12), think.Location);
    }

    [Fact]
    public void A_think_range_keeps_both_ends_in_order()
    {
        var think = Assert.IsType<ThinkStep>(Steps("500ms-1.5s")[1]);
        Assert.Equal(TimeSpan.FromMilliseconds(500), think.Min);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), think.Max);
    }

    [Theory]
    [InlineData("soon", "is not a duration or a range")]
    [InlineData("3s-1s", "runs backwards")]
    public void A_bad_think_time_is_an_error_at_its_value(string think, string message)
    {
        var error = Assert.Throws<PlanException>(() => Steps(think));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(new SourceLocation(Yaml.File, 5, 12), error.Location);
    }

    [Fact]
    public void A_think_item_takes_no_request_keys()
    {
        var error = Assert.Throws<PlanException>(() =>
            Yaml.OnlyScenario("options:\n  baseUrl: http://127.0.0.1:5000\nrequests:\n  - { think: 1s, url: /items }\n"));
        Assert.Contains("url", error.Message, StringComparison.Ordinal);
    }
}
