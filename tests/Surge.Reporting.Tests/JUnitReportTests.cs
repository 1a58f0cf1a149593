using System.Globalization;
using System.Xml.Linq;

namespace Surge.Reporting.Tests;

public sealed class JUnitReportTests
{
    private const string Expected = """
        <?xml version="1.0" encoding="utf-8"?>
        <testsuites name="surge" tests="7" failures="4" time="10.000">
          <testsuite name="thresholds" tests="3" failures="2" errors="0" skipped="0" timestamp="2026-11-21T05:00:00" time="10.000">
            <testcase classname="surge.thresholds" name="http_req_duration p(95)&lt;975" />
            <testcase classname="surge.thresholds" name="http_req_duration{name:login} p(99)&lt;500">
              <failure message="p(99) was 996.351, which fails p(99)&lt;500" type="thresholds">p(99) was 996.351, which fails p(99)&lt;500</failure>
            </testcase>
            <testcase classname="surge.thresholds" name="http_req_failed rate&lt;0.01">
              <failure message="rate was 0.102, which fails rate&lt;0.01" type="thresholds">rate was 0.102, which fails rate&lt;0.01</failure>
            </testcase>
          </testsuite>
          <testsuite name="checks" tests="2" failures="1" errors="0" skipped="0" timestamp="2026-11-21T05:00:00" time="10.000">
            <testcase classname="surge.checks" name="status is 200">
              <failure message="50 of 500 failed (450 passes, 50 fails)" type="checks">50 of 500 failed (450 passes, 50 fails)</failure>
            </testcase>
            <testcase classname="surge.checks" name="::login::has token" />
          </testsuite>
          <testsuite name="verify" tests="2" failures="1" errors="0" skipped="0" timestamp="2026-11-21T05:00:00" time="10.000">
            <testcase classname="surge.verify" name="verify orders">
              <failure message="verify orders: 20 writes acknowledged, 19 records on the server, 1 missing, 0 duplicate ids acknowledged, 0 duplicates on the server" type="verify">verify orders: 20 writes acknowledged, 19 records on the server, 1 missing, 0 duplicate ids acknowledged, 0 duplicates on the server</failure>
            </testcase>
            <testcase classname="surge.verify" name="verify carts" />
          </testsuite>
        </testsuites>
        """;

    private static XElement Parse(Surge.Results.RunSummary summary) =>
        XDocument.Parse(Outputs.Text(s => JUnitReport.Write(summary, s))).Root!;

    [Fact]
    public void The_report_is_the_same_byte_for_byte_under_the_invariant_and_a_comma_decimal_culture()
    {
        var invariant = Outputs.Under(CultureInfo.InvariantCulture, () => Outputs.Text(s => JUnitReport.Write(Outputs.Summary(), s)));
        var german = Outputs.Under(Outputs.CommaDecimals, () => Outputs.Text(s => JUnitReport.Write(Outputs.Summary(), s)));

        Assert.Equal(Expected, invariant);
        Assert.Equal(invariant, german);
    }

    [Fact]
    public void Every_threshold_check_and_verify_stage_is_a_test_case_and_the_failed_ones_fail()
    {
        var summary = Outputs.Summary();

        var root = Parse(summary);

        Assert.Equal("testsuites", root.Name.LocalName);
        var suites = root.Elements("testsuite").ToDictionary(s => (string)s.Attribute("name")!);
        Assert.Equal(["thresholds", "checks", "verify"], suites.Keys);
        Assert.Equal(
            summary.Thresholds.Select(t => $"{t.Key} {t.Expression.Text}"),
            suites["thresholds"].Elements("testcase").Select(c => (string)c.Attribute("name")!));
        Assert.Equal(
            summary.Thresholds.Select(t => !t.Passed),
            suites["thresholds"].Elements("testcase").Select(c => c.Element("failure") is not null));
        Assert.Equal(["status is 200", "::login::has token"], suites["checks"].Elements("testcase").Select(c => (string)c.Attribute("name")!));
        Assert.Equal("50 of 500 failed (450 passes, 50 fails)", (string)suites["checks"].Elements("testcase").First().Element("failure")!.Attribute("message")!);
        Assert.Equal([true, false], suites["verify"].Elements("testcase").Select(c => c.Element("failure") is not null));
        foreach (var suite in suites.Values)
        {
            Assert.Equal(suite.Elements("testcase").Count(), (int)suite.Attribute("tests")!);
            Assert.Equal(suite.Elements("testcase").Count(c => c.Element("failure") is not null), (int)suite.Attribute("failures")!);
        }
        Assert.Equal(2 + 1 + 1, (int)root.Attribute("failures")!);
        Assert.Equal(3 + 2 + 2, (int)root.Attribute("tests")!);
    }

    [Fact]
    public void A_threshold_without_data_fails_with_a_message_that_says_so_and_empty_kinds_have_no_suite()
    {
        var summary = new RunBuilder().Build([], [("http_req_duration", "p(95)<500", false)]);
        var noData = summary.Thresholds[0] with { Observed = null, Passed = false };

        var root = Parse(summary with { Thresholds = [noData] });

        var suite = Assert.Single(root.Elements("testsuite"));
        Assert.Equal("thresholds", (string)suite.Attribute("name")!);
        Assert.Equal("no data: nothing was measured for http_req_duration, so p(95)<500 cannot hold",
            (string)suite.Element("testcase")!.Element("failure")!.Attribute("message")!);
    }
}
