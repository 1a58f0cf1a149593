using System.Globalization;
using System.Text;
using System.Xml;
using Surge.Results;

namespace Surge.Reporting;

/// <summary>
/// `--junit FILE`: the run's verdicts as JUnit XML for CI dashboards. One test case per threshold
/// (`metric{tags} expression`), one per check (failed when any of its runs failed), one per verify stage; each
/// kind in its own test suite, and suites without cases left out.
/// </summary>
public static class JUnitReport
{
    private static readonly XmlWriterSettings Settings = new()
    {
        Indent = true,
        IndentChars = "  ",
        NewLineChars = "\n",
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
    };

    /// <summary>Writes the XML document (UTF-8, no byte order mark); a run without thresholds, checks or verify stages gives an empty suite list.</summary>
    public static void Write(RunSummary summary, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var suites = new[]
        {
            new Suite("thresholds", [.. summary.Thresholds.Select(Threshold)]),
            new Suite("checks", [.. CheckResults.From(summary).Select(Check)]),
            new Suite("verify", [.. summary.Verifications.Select(Verify)]),
        }.Where(s => s.Cases.Count > 0).ToList();

        using var xml = XmlWriter.Create(destination, Settings);
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        xml.WriteAttributeString("name", "surge");
        xml.WriteAttributeString("tests", Integer(suites.Sum(s => s.Cases.Count)));
        xml.WriteAttributeString("failures", Integer(suites.Sum(s => s.Failures)));
        xml.WriteAttributeString("time", Seconds(summary.Duration));
        foreach (var suite in suites)
        {
            xml.WriteStartElement("testsuite");
            xml.WriteAttributeString("name", suite.Name);
            xml.WriteAttributeString("tests", Integer(suite.Cases.Count));
            xml.WriteAttributeString("failures", Integer(suite.Failures));
            xml.WriteAttributeString("errors", "0");
            xml.WriteAttributeString("skipped", "0");
            xml.WriteAttributeString("timestamp", summary.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture));
            xml.WriteAttributeString("time", Seconds(summary.Duration));
            foreach (var testCase in suite.Cases)
            {
                xml.WriteStartElement("testcase");
                xml.WriteAttributeString("classname", $"surge.{suite.Name}");
                xml.WriteAttributeString("name", testCase.Name);
                if (testCase.Failure is { } failure)
                {
                    xml.WriteStartElement("failure");
                    xml.WriteAttributeString("message", failure);
                    xml.WriteAttributeString("type", suite.Name);
                    xml.WriteString(failure);
                    xml.WriteEndElement();
                }
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static TestCase Threshold(ThresholdResult threshold)
    {
        var name = $"{threshold.Key} {threshold.Expression.Text}";
        if (threshold.Passed)
        {
            return new TestCase(name, null);
        }
        return new TestCase(name, threshold.Observed is { } observed
            ? $"{threshold.Expression.Stat} was {Number(observed)}, which fails {threshold.Expression.Text}"
            : $"no data: nothing was measured for {threshold.Key}, so {threshold.Expression.Text} cannot hold");
    }

    private static TestCase Check(CheckResult check)
    {
        var name = check.Group.Length == 0 ? check.Name : $"{check.Group}::{check.Name}";
        return new TestCase(name, check.Fails == 0 ? null
            : $"{Integer(check.Fails)} of {Integer(check.Total)} failed ({Integer(check.Passes)} passes, {Integer(check.Fails)} fails)");
    }

    private static TestCase Verify(IntegrityResult result) =>
        new($"verify {result.Ledger}", result.Passed ? null : result.ToString());

    private static string Integer(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture);

    private sealed record TestCase(string Name, string? Failure);

    private sealed record Suite(string Name, IReadOnlyList<TestCase> Cases)
    {
        public int Failures => Cases.Count(c => c.Failure is not null);
    }
}
