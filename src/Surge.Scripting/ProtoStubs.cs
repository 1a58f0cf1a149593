using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Surge.Plans;

namespace Surge.Scripting;

/// <summary>
/// The .proto files a test file names with <c>// surge:proto path/to/file.proto</c> lines (relative to the test
/// file), turned into C# messages and gRPC client stubs by the protoc and grpc_csharp_plugin that Grpc.Tools ships
/// (copied next to surge, in grpc-tools/). A .proto error names its file:line:column, as a C# error does.
/// </summary>
internal static partial class ProtoStubs
{
    private const string Directive = "surge:proto";

    [GeneratedRegex(@"^\s*//\s*surge:proto\b(?<path>.*)$")]
    private static partial Regex DirectiveLine();

    // protoc's error lines: "file.proto:12:5: Expected \";\"." (column optional for some errors).
    [GeneratedRegex(@"^(?<file>.+?\.proto):(?<line>\d+):(?<column>\d+): (?<message>.+)$")]
    private static partial Regex ErrorLine();

    /// <summary>The .proto files <paramref name="source"/> names, resolved against its folder; a missing one is a plan error at its directive.</summary>
    public static IReadOnlyList<string> Named(string source, string fileName)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(fileName)) ?? ".";
        var files = new List<string>();
        var lines = source.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var match = DirectiveLine().Match(lines[i].TrimEnd('\r'));
            if (!match.Success)
            {
                continue;
            }
            var at = new SourceLocation(fileName, i + 1, match.Groups["path"].Index + 1);
            var named = match.Groups["path"].Value.Trim();
            if (named.Length == 0)
            {
                throw new PlanException($"// {Directive} needs a .proto file, e.g. // {Directive} Protos/cashiers.proto", at);
            }
            var full = Path.GetFullPath(Path.Combine(folder, named));
            if (!File.Exists(full))
            {
                throw new PlanException($"// {Directive}: {named} not found (looked in {folder})", at);
            }
            if (!files.Contains(full))
            {
                files.Add(full);
            }
        }
        return files;
    }

    /// <summary>The C# that protoc generates for <paramref name="protos"/>, messages and client stubs, as syntax trees.</summary>
    public static IReadOnlyList<SyntaxTree> Generate(IReadOnlyList<string> protos, CSharpParseOptions options, CancellationToken cancellationToken)
    {
        if (protos.Count == 0)
        {
            return [];
        }
        var tools = ToolsFolder();
        var output = Directory.CreateTempSubdirectory("surge-proto-");
        try
        {
            var start = new ProcessStartInfo(Executable(tools, "protoc")) { RedirectStandardError = true, RedirectStandardOutput = true };
            // Each file's own folder is an import root, so that it and its neighbours import each other by name.
            foreach (var folder in protos.Select(p => Path.GetDirectoryName(p)!).Distinct(StringComparer.Ordinal))
            {
                start.ArgumentList.Add($"--proto_path={folder}");
            }
            start.ArgumentList.Add($"--proto_path={Path.Combine(tools, "..", "include")}");
            start.ArgumentList.Add($"--csharp_out={output.FullName}");
            start.ArgumentList.Add($"--grpc_out={output.FullName}");
            start.ArgumentList.Add("--grpc_opt=no_server");
            start.ArgumentList.Add($"--plugin=protoc-gen-grpc={Executable(tools, "grpc_csharp_plugin")}");
            start.ArgumentList.Add("--error_format=gcc");
            foreach (var proto in protos)
            {
                start.ArgumentList.Add(proto);
            }
            using var protoc = Process.Start(start) ?? throw new InvalidOperationException("could not start protoc");
            var errors = protoc.StandardError.ReadToEndAsync(cancellationToken);
            _ = protoc.StandardOutput.ReadToEndAsync(cancellationToken);
            protoc.WaitForExit();
            var message = errors.GetAwaiter().GetResult().Trim();
            if (protoc.ExitCode != 0)
            {
                throw ToPlanException(message, protos);
            }
            return [.. Directory.EnumerateFiles(output.FullName, "*.cs").Order(StringComparer.Ordinal).Select(file =>
                CSharpSyntaxTree.ParseText(File.ReadAllText(file), options, $"{Path.GetFileName(file)} (generated)", Encoding.UTF8, cancellationToken))];
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>protoc's first error at its file:line:column (the path as the test file's folder resolves it); the others listed after it.</summary>
    private static PlanException ToPlanException(string stderr, IReadOnlyList<string> protos)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        SourceLocation? first = null;
        var reasons = new List<string>();
        foreach (var line in lines)
        {
            var match = ErrorLine().Match(line);
            if (!match.Success)
            {
                reasons.Add(line);
                continue;
            }
            var location = new SourceLocation(
                FullPathOf(match.Groups["file"].Value, protos),
                int.Parse(match.Groups["line"].Value, CultureInfo.InvariantCulture),
                int.Parse(match.Groups["column"].Value, CultureInfo.InvariantCulture));
            if (first is null)
            {
                first = location;
                reasons.Insert(0, match.Groups["message"].Value);
            }
            else
            {
                reasons.Add($"{location}: {match.Groups["message"].Value}");
            }
        }
        return new PlanException(reasons.Count == 0 ? "protoc failed without a message" : string.Join('\n', reasons), first);
    }

    // protoc names a file by its path under the import root; the user knows it by where it is.
    private static string FullPathOf(string named, IReadOnlyList<string> protos) =>
        Path.IsPathRooted(named) ? named
        : protos.FirstOrDefault(p => p.EndsWith(Path.DirectorySeparatorChar + named, StringComparison.Ordinal)) ?? named;

    private static string ToolsFolder()
    {
        var platform = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 when OperatingSystem.IsLinux() => "linux_x64",
            Architecture.Arm64 when OperatingSystem.IsLinux() => "linux_arm64",
            Architecture.X64 when OperatingSystem.IsWindows() => "windows_x64",
            _ when OperatingSystem.IsMacOS() => "macosx_universal",
            _ => RuntimeInformation.RuntimeIdentifier,
        };
        var folder = Path.Combine(AppContext.BaseDirectory, "grpc-tools");
        return File.Exists(Path.Combine(folder, platform, OperatingSystem.IsWindows() ? "protoc.exe" : "protoc"))
            ? Path.Combine(folder, platform)
            : throw new PlanException($"// {Directive} needs protoc for {platform}, which this build of surge does not carry (it ships linux_x64 in {folder}); " +
                "compile the .proto files in a test project with Grpc.Tools instead");
    }

    private static string Executable(string folder, string name)
    {
        var path = Path.Combine(folder, OperatingSystem.IsWindows() ? name + ".exe" : name);
        // A copy made by a build or an unzip may have lost the execute bits.
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
        {
            File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }
        return path;
    }
}
