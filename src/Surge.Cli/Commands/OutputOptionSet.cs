using System.CommandLine;

namespace Surge.Cli.Commands;

/// <summary>The output flags every load-running command accepts.</summary>
public sealed class OutputOptionSet
{
    private readonly Option<string?> _summaryExport = new("--summary-export") { Description = "Write k6's summary-export JSON to this file" };
    private readonly Option<string?> _result = new("--result") { Description = "Write the full, mergeable result (histograms included) to this JSON file" };
    private readonly Option<string?> _report = new("--report") { Description = "Write a self-contained HTML report (charts, endpoints, findings) to this file" };
    private readonly Option<string?> _findings = new("--findings") { Description = "Write the findings (worst endpoints, thresholds near breaking, saturation, next steps) to this Markdown file" };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "No live progress" };
    private readonly Option<bool> _noColor = new("--no-color") { Description = "No ANSI colors in the summary" };

    public void AddTo(Command command)
    {
        command.Options.Add(_summaryExport);
        command.Options.Add(_result);
        command.Options.Add(_report);
        command.Options.Add(_findings);
        command.Options.Add(_quiet);
        command.Options.Add(_noColor);
    }

    public OutputOptions Read(ParseResult parse) =>
        new(parse.GetValue(_summaryExport), parse.GetValue(_result), parse.GetValue(_quiet), parse.GetValue(_noColor))
        {
            Report = parse.GetValue(_report),
            Findings = parse.GetValue(_findings),
        };
}
