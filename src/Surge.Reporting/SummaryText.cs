using System.Text;

namespace Surge.Reporting;

internal enum CellStyle
{
    Plain,
    Pass,
    Fail,
}

/// <summary>One column of a metric line; widths are measured on the plain text, colors added when writing.</summary>
internal sealed record Cell(string Text, CellStyle Style = CellStyle.Plain);

internal abstract record SummaryLine;

/// <summary>
/// `label.......: cell cell cell`. Labels align across the section; cells align with the lines of the same
/// <paramref name="Shape"/> (trend statistics under each other, counts under each other).
/// </summary>
internal sealed record MetricLine(string Label, int Indent, IReadOnlyList<Cell> Cells, string Shape) : SummaryLine;

/// <summary>A free-text remark between metric lines.</summary>
internal sealed record NoteLine(string Text) : SummaryLine;

/// <summary>Builds the console summary: always '\n' line ends, ANSI codes only when color is on.</summary>
internal sealed class SummaryText(ConsoleSummaryOptions options)
{
    private const string Green = "\u001b[32m";
    private const string Red = "\u001b[31m";
    private const string Dim = "\u001b[2m";
    private const string Reset = "\u001b[0m";
    private const string LineIndent = "    ";

    private readonly StringBuilder _text = new();

    public string Pass(string text) => Paint(Green, text);

    public string Fail(string text) => Paint(Red, text);

    private string Paint(string color, string text) => options.Color ? color + text + Reset : text;

    public void Line(string line) => _text.Append(line).Append('\n');

    public void Section(string title)
    {
        Line("");
        Line("  █ " + title);
        Line("");
    }

    /// <summary>Writes text after <paramref name="first"/>, wrapped to the width, continuing after <paramref name="next"/>.</summary>
    public void Wrapped(string first, string next, string text)
    {
        var line = new StringBuilder(first);
        var lineHasWord = false;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (lineHasWord && line.Length + 1 + word.Length > options.Width)
            {
                Line(line.ToString());
                line.Clear().Append(next);
                lineHasWord = false;
            }
            if (lineHasWord)
            {
                line.Append(' ');
            }
            line.Append(word);
            lineHasWord = true;
        }
        Line(line.ToString());
    }

    /// <summary>
    /// Metric lines with k6's dotted leader: labels padded with dots to one column (capped at half the width),
    /// and each cell padded to the widest cell of its column among lines of the same shape so values line up.
    /// </summary>
    public void Rows(IReadOnlyList<SummaryLine> lines)
    {
        var metricLines = lines.OfType<MetricLine>().ToList();
        if (metricLines.Count == 0)
        {
            return;
        }
        var labelWidth = Math.Min(metricLines.Max(l => l.Indent + l.Label.Length) + 3, Math.Max(20, options.Width / 2));
        var columnWidths = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var shape in metricLines.GroupBy(l => l.Shape, StringComparer.Ordinal))
        {
            var widths = new int[shape.Max(l => l.Cells.Count)];
            foreach (var line in shape)
            {
                for (var i = 0; i < line.Cells.Count; i++)
                {
                    widths[i] = Math.Max(widths[i], line.Cells[i].Text.Length);
                }
            }
            columnWidths[shape.Key] = widths;
        }
        foreach (var line in lines)
        {
            if (line is NoteLine note)
            {
                Wrapped(LineIndent + "  ", LineIndent + "    ", note.Text);
                continue;
            }
            var metric = (MetricLine)line;
            var text = new StringBuilder(LineIndent).Append(' ', metric.Indent).Append(metric.Label);
            var dots = labelWidth - metric.Indent - metric.Label.Length;
            if (dots > 0)
            {
                text.Append(Paint(Dim, new string('.', dots)));
            }
            text.Append(':');
            for (var i = 0; i < metric.Cells.Count; i++)
            {
                var cell = metric.Cells[i];
                text.Append(' ').Append(cell.Style switch
                {
                    CellStyle.Pass => Pass(cell.Text),
                    CellStyle.Fail => Fail(cell.Text),
                    _ => cell.Text,
                });
                if (i < metric.Cells.Count - 1)
                {
                    text.Append(' ', columnWidths[metric.Shape][i] - cell.Text.Length);
                }
            }
            Line(text.ToString());
        }
    }

    public override string ToString() => _text.ToString();
}
