using System.CommandLine;
using Surge.Cli;
using Surge.Cli.Commands;
using Surge.Plans;
using Surge.Scripting;

RuntimeTuning.Apply();

var root = new RootCommand("Surge: load testing for .NET, k6-compatible, measured honestly")
{
    RunCommand.Create(),
    RunCommand.CreateInspect(),
    ReportCommand.Create(),
    MergeCommand.Create(),
    KubernetesCommand.Create(),
    CompareCommand.Create(),
    DemoCommand.Create(),
    NewCommand.Create(),
    FindCapacityCommand.Create(),
    ResumeCommand.Create(),
    VersionCommand.Create(),
    ScriptCompilation.Command(),
};
// Bare `surge` is a question, not a mistake: the help, exit 0.
root.SetAction(_ => root.Parse("--help").Invoke());

var parse = root.Parse(RunCommand.BareHttpDebug(args));
if (Usage.Problem(parse) is { } problem)
{
    return Usage.Report(parse, problem);
}
try
{
    // Plan errors reach the catch below (exit 104 with file:line:col) instead of the default handler's stack trace.
    // Signals are StopSignals' during a run: System.CommandLine's own handling would end the process 2 s after the
    // first Ctrl-C or SIGTERM (exit 130/143), cutting a graceful stop short and losing the summary and every file.
    return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null });
}
catch (UsageException exception)
{
    return Usage.Report(parse, exception.Message);
}
catch (PlanException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return ExitCodes.InvalidTest;
}
catch (TestScriptException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    Console.Error.WriteLine(exception.ScriptStackTrace);
    return ExitCodes.ScriptError;
}
