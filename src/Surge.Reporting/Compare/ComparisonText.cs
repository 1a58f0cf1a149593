using System.Globalization;
using System.Text;

namespace Surge.Reporting.Compare;

/// <summary>
/// The comparison for a terminal or a CI log: one line per statistic, base and new side by side with the change and
/// a verdict, then one verdict line for the whole comparison.
/// </summary>
public static class ComparisonText
{
    private static readonly string[] Header = ["endpoint", "stat", "base", "new", "change", "verdict"];

    /// <summary>The whole text, ending with <see cref="Verdict"/>'s line.</summary>
    public static string Render(RunComparison comparison)
    {
        var text = new StringBuilder();
        text.AppendLine("base: " + CompareFormat.Run(comparison.Base));
        text.AppendLine("new:  " + CompareFormat.Run(comparison.New));
        text.AppendLine("tolerances: " + CompareFormat.Tolerances(comparison.Tolerances));
        foreach (var note in comparison.Notes)
        {
            text.AppendLine("note: " + note);
        }
        text.AppendLine();

        var table = new List<string[]> { Header };
        foreach (var row in comparison.Rows)
        {
            table.Add([row.Endpoint, "requests", Count(row.Base), Count(row.New), "", CompareFormat.Verdict(row.Verdict)]);
            foreach (var stat in ComparedStats.All)
            {
                var change = row.Change(stat);
                table.Add(
                [
                    "",
                    ComparedStats.Name(stat),
                    row.Base is null ? "-" : CompareFormat.Value(stat, row.Base.Value(stat)),
                    row.New is null ? "-" : CompareFormat.Value(stat, row.New.Value(stat)),
                    change is null ? "" : CompareFormat.Change(change),
                    change is null ? "" : CompareFormat.Verdict(change.Verdict),
                ]);
            }
        }
        WriteTable(text, table);
        text.AppendLine();
        text.AppendLine(Verdict(comparison));
        return text.ToString();
    }

    /// <summary>"✗ REGRESSED: GET /slow (p95 +6493%)" or "✓ no regression beyond tolerance (3 endpoints compared)".</summary>
    public static string Verdict(RunComparison comparison)
    {
        if (!comparison.Regressed)
        {
            return $"✓ no regression beyond tolerance ({comparison.Endpoints.Count.ToString(CultureInfo.InvariantCulture)} endpoints compared)";
        }
        var regressed = comparison.Rows
            .Where(r => r.Verdict == RowVerdict.Regressed)
            .Select(r => $"{r.Endpoint} ({CompareFormat.Regressions(r)})");
        return "✗ REGRESSED: " + string.Join("; ", regressed);
    }

    private static string Count(RowFigures? figures) => figures?.Requests.ToString(CultureInfo.InvariantCulture) ?? "-";

    // Labels left-aligned, numbers right-aligned, the verdict last and unpadded so that lines carry no trailing blanks.
    private static void WriteTable(StringBuilder text, List<string[]> table)
    {
        var widths = Enumerable.Range(0, table[0].Length).Select(column => table.Max(row => row[column].Length)).ToArray();
        foreach (var row in table)
        {
            var line = new StringBuilder("  ");
            for (var column = 0; column < row.Length; column++)
            {
                var cell = row[column];
                var last = column == row.Length - 1;
                var numeric = column is >= 2 and <= 4;
                line.Append(numeric ? cell.PadLeft(widths[column]) : last ? cell : cell.PadRight(widths[column]));
                if (!last)
                {
                    line.Append("  ");
                }
            }
            text.AppendLine(line.ToString().TrimEnd());
        }
    }
}
