using System.CommandLine;
using System.Diagnostics;
using Surge.Plans;
using Surge.Scripting;

namespace Surge.Cli;

/// <summary>
/// Compiles a C# test file in a child `surge` process with tiered compilation on. The run itself wants tiered
/// compilation off (every method fully optimized from its first call), but then Roslyn, a large body of code run
/// once, is compiled fully optimized method by method too: a small test file took 2.8 s to compile instead of 0.8 s.
/// The child compiles with quick JIT and hands over the assembly through a temporary folder.
/// </summary>
internal static class ScriptCompilation
{
    private const string CommandName = "compile-script";

    private const string ErrorPrefix = "error: ";

    public static async Task<CompiledTestFile> CompileAsync(string path, CancellationToken cancellationToken)
    {
        if (Environment.ProcessPath is not { } host)
        {
            return TestFileCompiler.Compile(path, cancellationToken);
        }
        var folder = Directory.CreateTempSubdirectory("surge-script-");
        try
        {
            var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true };
            if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            {
                start.ArgumentList.Add(typeof(ScriptCompilation).Assembly.Location);
            }
            start.ArgumentList.Add(CommandName);
            start.ArgumentList.Add(path);
            start.ArgumentList.Add(folder.FullName);
            start.Environment["DOTNET_TieredCompilation"] = "1";
            using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {host} to compile {path}");
            var output = child.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = child.StandardError.ReadToEndAsync(cancellationToken);
            await child.WaitForExitAsync(cancellationToken);
            await output;
            var message = (await errors).Trim();
            if (child.ExitCode != ExitCodes.Success)
            {
                // The child reports compile errors as `error: file:line:col: ...`, the way this process would have.
                throw new PlanException(message.StartsWith(ErrorPrefix, StringComparison.Ordinal) ? message[ErrorPrefix.Length..] : $"compiling {path} failed: {message}");
            }
            return TestFileCompiler.LoadCompiled(path, folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The child's side: `surge compile-script FILE FOLDER`, not meant for users.</summary>
    public static Command Command()
    {
        var file = new Argument<string>("file");
        var folder = new Argument<string>("folder");
        var command = new Command(CommandName, "Compile a C# test file into a folder (used by surge run)") { file, folder };
        command.Hidden = true;
        command.SetAction((parse, cancellationToken) =>
        {
            TestFileCompiler.CompileInto(parse.GetValue(file)!, parse.GetValue(folder)!, cancellationToken);
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
