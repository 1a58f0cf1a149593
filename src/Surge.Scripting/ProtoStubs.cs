using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Surge.Grpc;
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
        var output = Directory.CreateTempSubdirectory("surge-proto-");
        try
        {
            Protoc.Run(protos,
            [
                $"--csharp_out={output.FullName}",
                $"--grpc_out={output.FullName}",
                "--grpc_opt=no_server",
                $"--plugin=protoc-gen-grpc={Path.Combine("{tools}", OperatingSystem.IsWindows() ? "grpc_csharp_plugin.exe" : "grpc_csharp_plugin")}",
            ], $"// {Directive}", cancellationToken: cancellationToken);
            return [.. Directory.EnumerateFiles(output.FullName, "*.cs").Order(StringComparer.Ordinal).Select(file =>
                CSharpSyntaxTree.ParseText(File.ReadAllText(file), options, $"{Path.GetFileName(file)} (generated)", Encoding.UTF8, cancellationToken))];
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
