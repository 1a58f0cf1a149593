using System.CommandLine;
using Surge.Plans;
using Surge.Reporting;
using Surge.Results;

namespace Surge.Cli.Commands;

/// <summary>
/// `surge merge A.json B.json ... -o ALL.json`: the results of one test run on several machines as one result, with the
/// thresholds judged again on the whole, its summary printed, and the exit code that verdict gives (99 on failure).
/// </summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var results = new Argument<string[]>("results") { Description = "Result files written by surge run --result, one per machine", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string?>("--output", "-o") { Description = "Write the merged result to this file (surge report reads it)" };
        var noColor = new Option<bool>("--no-color") { Description = "No ANSI colors in the summary" };
        var command = new Command("merge", "Merge the results of one test run on several machines into one result, and judge its thresholds again")
        {
            results, output, noColor,
        };
        command.SetAction(parse =>
        {
            var paths = parse.GetValue(results)!;
            RunSummary? merged = null;
            var files = parse.GetValue(output) is { } path
                ? new List<OutputFile> { new("--output", path, stream => ResultFile.Write(merged!, stream)) }
                : [];
            OutputFiles.Check(files);
            var parts = paths.Select(SavedResult.Read).ToList();
            try
            {
                merged = ResultMerge.Merge(parts, paths);
            }
            catch (MergeException exception)
            {
                throw new PlanException($"cannot merge: {exception.Message}", exception);
            }
            var options = new OutputOptions(SummaryExport: null, ResultFile: null, Quiet: false, parse.GetValue(noColor));
            return RunExecution.Finish(merged, options, files);
        });
        return command;
    }
}
