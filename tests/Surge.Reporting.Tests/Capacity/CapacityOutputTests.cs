using System.Globalization;
using System.Text;
using System.Text.Json;
using Surge.Capacity;
using Surge.Reporting.Capacity;

namespace Surge.Reporting.Tests.Capacity;

public sealed class CapacityOutputTests
{
    private static CapacityStep Step(double rate, StepVerdict verdict, double p95, double errors, params string[] reasons) => new()
    {
        Rate = rate,
        Duration = TimeSpan.FromSeconds(3),
        Verdict = verdict,
        AchievedRate = rate,
        P95 = p95,
        ErrorRate = errors,
        GeneratorCpu = 0.05,
        StartDelayP99 = 0.4,
        Reasons = reasons,
    };

    private static readonly CapacityResult Result = new()
    {
        Scenario = "buy",
        Options = new CapacityOptions(),
        Conclusion = "converged",
        Steps =
        [
            Step(50, StepVerdict.Passed, 21.5, 0),
            Step(100, StepVerdict.Passed, 22.5, 0),
            Step(200, StepVerdict.Failed, 280.25, 0.4625, "http_req_failed: rate<0.01 failed, observed 0.4625"),
            Step(150, StepVerdict.Inconclusive, 90, 0, "generator CPU at 95% of 2 cores"),
            Step(150, StepVerdict.Passed, 30, 0),
            Step(175, StepVerdict.Failed, 120.5, 0, "http_req_duration: p(95)<100 failed, observed 120.5"),
        ],
    };

    private static (string Json, string Html, string Text) Render(CultureInfo culture)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = culture;
            using var json = new MemoryStream();
            CapacityJson.Write(Result, json);
            using var html = new MemoryStream();
            CapacityHtml.Write(Result, html);
            return (Encoding.UTF8.GetString(json.ToArray()), Encoding.UTF8.GetString(html.ToArray()), CapacityText.Render(Result));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void The_json_gives_the_capacity_the_first_failure_the_knee_and_every_step_with_its_verdict()
    {
        using var json = JsonDocument.Parse(Render(CultureInfo.InvariantCulture).Json);
        var root = json.RootElement;

        Assert.Equal(150, root.GetProperty("capacity").GetDouble());
        Assert.Equal(175, root.GetProperty("firstFailure").GetProperty("rate").GetDouble());
        Assert.Equal(175, root.GetProperty("knee").GetProperty("rate").GetDouble()); // 120.5 ms >= 2 × 21.5 ms; 90 ms was inconclusive
        Assert.Equal(["passed", "passed", "failed", "inconclusive", "passed", "failed"],
            root.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("verdict").GetString()));
        Assert.Equal(0.4625, root.GetProperty("steps")[2].GetProperty("errorRate").GetDouble());
    }

    [Fact]
    public void The_console_text_names_the_capacity_the_failing_threshold_and_the_knee()
    {
        var text = Render(CultureInfo.InvariantCulture).Text;

        Assert.Contains("capacity: 150 iterations/s met every threshold", text, StringComparison.Ordinal);
        Assert.Contains("first failing step: 175/s: http_req_duration: p(95)<100 failed, observed 120.5", text, StringComparison.Ordinal);
        Assert.Contains("latency knee: 175/s", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_html_charts_one_dot_per_step_and_marks_the_capacity()
    {
        var html = Render(CultureInfo.InvariantCulture).Html;

        Assert.Equal(2, html.Split("<svg", StringSplitOptions.None).Length - 1);
        Assert.Equal(2 * Result.Steps.Count, html.Split("<circle", StringSplitOptions.None).Length - 1);
        Assert.Contains("150/s</text>", html, StringComparison.Ordinal);
        Assert.Contains("Capacity: 150 iterations/s met every threshold.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_comma_decimal_culture_changes_no_byte_of_any_capacity_output()
    {
        Assert.Equal(Render(CultureInfo.InvariantCulture), Render(CultureInfo.GetCultureInfo("de-DE")));
    }
}
