using System.CommandLine;
using Surge.Results;

namespace Surge.Cli.Commands;

/// <summary>
/// `surge report RESULT.json`: the summary and every requested output file again, from a saved result instead of a
/// new run, with the exit code that run had (99 when its thresholds failed).
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var result = new Argument<string>("result") { Description = "A result file written by surge run --result" };
        var output = new OutputOptionSet(live: false);
        var command = new Command("report", "Print the summary and write report files from a saved result, without rerunning") { result };
        output.AddTo(command);
        command.SetAction(parse =>
        {
            var options = output.Read(parse);
            RunSummary? summary = null;
            var files = RunExecution.Files(options, () => summary!);
            OutputFiles.Check(files);
            summary = SavedResult.Read(parse.GetValue(result)!);
            return RunExecution.Finish(summary, options, files);
        });
        return command;
    }
}
