using System.CommandLine;
using Surge.Cli;
using Surge.Cli.Commands;
using Surge.Plans;
using Surge.Scripting;

RuntimeTuning.Apply();

var root = new RootCommand("Surge: load testing for .NET, k6-compatible, measured honestly")
{
    RunCommand.Create(),
    ReportCommand.Create(),
    CompareCommand.Create(),
    DemoCommand.Create(),
    NewCommand.Create(),
    ScriptCompilation.Command(),
};

try
{
    // Plan errors reach the catch below (exit 104 with file:line:col) instead of the default handler's stack trace.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
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
