using System.Globalization;
using Surge.Reporting.Findings;
using Surge.Results;

namespace Surge.Reporting.Tests.Findings;

public sealed class FindingsMarkdownTests
{
    private static string RenderUnder(CultureInfo culture, RunSummary summary)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = culture;
            return FindingsMarkdown.Render(RunFindings.From(summary));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void The_findings_of_a_troubled_run_match_the_snapshot_under_invariant_and_german_culture()
    {
        var summary = TroubledRun.Build();
        var expected = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Findings", "TroubledRun.findings.md"));

        var invariant = RenderUnder(CultureInfo.InvariantCulture, summary);
        var german = RenderUnder(CultureInfo.GetCultureInfo("de-DE"), summary);

        if (invariant != expected)
        {
            // Left beside the test binaries to diff against, or to copy over the snapshot after a deliberate change.
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "TroubledRun.findings.actual.md"), invariant);
        }
        Assert.Equal(expected, invariant);
        Assert.Equal(invariant, german);
    }

    [Fact]
    public void A_name_with_backticks_stays_inside_one_code_span()
    {
        var markdown = RenderUnder(CultureInfo.InvariantCulture, TroubledRun.Build());

        Assert.Contains("``POST /cart `v2` | *beta*``", markdown, StringComparison.Ordinal);
    }
}
