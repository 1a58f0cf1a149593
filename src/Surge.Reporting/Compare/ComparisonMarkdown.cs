using System.Globalization;
using System.Text;

namespace Surge.Reporting.Compare;

/// <summary>The comparison as a GitHub-flavoured Markdown table, one row per endpoint: made for a PR comment.</summary>
public static class ComparisonMarkdown
{
    /// <summary>The Markdown text: a verdict heading, the two runs, the table, the notes, then the tolerances and a legend.</summary>
    public static string Render(RunComparison comparison)
    {
        var text = new StringBuilder();
        text.AppendLine(comparison.Regressed
            ? "### ❌ Surge compare: regression beyond tolerance"
            : "### ✅ Surge compare: no regression beyond tolerance");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Base {Code(comparison.Base.Name)} {Started(comparison.Base)} → new {Code(comparison.New.Name)} {Started(comparison.New)}");
        text.AppendLine();
        text.AppendLine("| | endpoint | requests | req/s | p50 | p95 | p99 | errors |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in comparison.Rows)
        {
            var endpoint = Escape(row.Endpoint);
            var cells = new List<string>
            {
                Icon(row.Verdict),
                row.IsTotal ? $"**{endpoint}**" : endpoint,
                $"{Count(row.Base)} → {Count(row.New)}",
            };
            cells.AddRange(ComparedStats.All.Select(stat => Cell(row, stat)));
            text.AppendLine("| " + string.Join(" | ", cells) + " |");
        }
        text.AppendLine();
        foreach (var note in comparison.Notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"> Note: {Escape(note)}");
            text.AppendLine();
        }
        text.AppendLine(CultureInfo.InvariantCulture, $"<sub>Tolerances: {Escape(CompareFormat.Tolerances(comparison.Tolerances))}. ❌ regressed, 🟢 improved, ⚠️ too few requests to judge, ➕ added, ➖ removed.</sub>");
        return text.ToString();
    }

    private static string Cell(RowComparison row, ComparedStat stat)
    {
        var before = row.Base is null ? "–" : CompareFormat.Value(stat, row.Base.Value(stat));
        var after = row.New is null ? "–" : CompareFormat.Value(stat, row.New.Value(stat));
        if (row.Change(stat) is not { } change)
        {
            return $"{before} → {after}";
        }
        var delta = CompareFormat.Change(change);
        return change.Verdict == StatVerdict.Regressed
            ? $"{before} → {after} (**{delta}** ❌)"
            : $"{before} → {after} ({delta})";
    }

    private static string Icon(RowVerdict verdict) => verdict switch
    {
        RowVerdict.Regressed => "❌",
        RowVerdict.Improved => "🟢",
        RowVerdict.TooFewSamples => "⚠️",
        RowVerdict.Added => "➕",
        RowVerdict.Removed => "➖",
        _ => "✅",
    };

    private static string Count(RowFigures? figures) => figures?.Requests.ToString(CultureInfo.InvariantCulture) ?? "–";

    private static string Started(ComparedRun run) =>
        $"({run.StartedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture)}, {DisplayFormat.Duration(run.Duration)})";

    private static string Code(string name) => "`" + name.Replace("`", "'", StringComparison.Ordinal) + "`";

    // A pipe would end the cell and markup characters in an endpoint name would format it.
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '|' or '*' or '_' or '`' or '<' or '>' or '[' or ']' or '\\')
            {
                escaped.Append('\\');
            }
            escaped.Append(c is '\n' or '\r' ? ' ' : c);
        }
        return escaped.ToString();
    }
}
