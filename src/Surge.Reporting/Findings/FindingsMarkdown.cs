using System.Text;
using Surge.Results;

namespace Surge.Reporting.Findings;

/// <summary>
/// The run read for you, as a Markdown document (`--findings FILE.md`): what failed, the fastest and slowest
/// endpoints, the failing ones, the thresholds closest to breaking, saturation (a latency knee, error spikes, dropped
/// iterations, a busy generator) and next steps. Names from the test are in code spans.
/// </summary>
public static class FindingsMarkdown
{
    internal static string Render(RunFindings findings)
    {
        var summary = findings.Summary;
        var text = new StringBuilder();
        text.Append("# Findings\n\n");
        text.Append("Run started ").Append(DisplayFormat.Timestamp(summary.StartedAt))
            .Append(", lasted ").Append(DisplayFormat.Duration(summary.Duration))
            .Append(", outcome: ").Append(OutcomeText(summary)).Append(".\n");
        foreach (var section in findings.Sections())
        {
            text.Append("\n## ").Append(section.Title).Append("\n\n");
            foreach (var line in section.Lines)
            {
                text.Append("- ").Append(Line(line)).Append('\n');
            }
        }
        return text.ToString();
    }

    /// <summary>Works out the findings of <paramref name="summary"/> and writes them as UTF-8 Markdown.</summary>
    public static void Write(RunSummary summary, Stream destination) => Write(RunFindings.From(summary), destination);

    internal static void Write(RunFindings findings, Stream destination)
    {
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(Render(findings));
        destination.Write(bytes);
    }

    internal static string OutcomeText(Results.RunSummary summary) => summary.Outcome switch
    {
        Results.RunOutcome.AbortedByThreshold => "aborted by a threshold",
        Results.RunOutcome.Interrupted => "interrupted",
        Results.RunOutcome.SetupFailed => "setup failed",
        _ when !summary.ThresholdsPassed => "thresholds failed",
        _ when summary.Verifications.Any(v => !v.Passed) => "verify failed",
        _ => "passed",
    };

    private static string Line(FindingLine line) =>
        string.Concat(line.Parts.Select(p => p.IsCode ? CodeSpan(p.Text) : p.Text));

    /// <summary>A code span that holds any name: fenced by more backticks than it contains, on one line.</summary>
    private static string CodeSpan(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        var longestRun = 0;
        var run = 0;
        foreach (var c in flat)
        {
            run = c == '`' ? run + 1 : 0;
            longestRun = Math.Max(longestRun, run);
        }
        var fence = new string('`', longestRun + 1);
        var pad = flat.StartsWith('`') || flat.EndsWith('`') || flat.Length == 0 ? " " : "";
        return fence + pad + flat + pad + fence;
    }
}
