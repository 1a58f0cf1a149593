using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Surge.Plans;

namespace Surge.Scripting;

/// <summary>
/// Compiles one C# test file with Roslyn into a collectible, in-memory assembly and finds its <c>Plan</c> entry
/// point (see README.md). Every compiler error becomes a <see cref="PlanException"/> pointing at file:line:column.
/// </summary>
public static class TestFileCompiler
{
    /// <summary>More errors than this are counted, not listed: the first ones are what the user fixes first.</summary>
    private const int MaxListedErrors = 20;

    /// <summary>What a console app's SDK imports implicitly, plus Surge's own namespaces.</summary>
    private static readonly string[] ImplicitUsings =
    [
        "System",
        "System.Collections.Generic",
        "System.IO",
        "System.Linq",
        "System.Net.Http",
        "System.Threading",
        "System.Threading.Tasks",
        "Surge",
        "Surge.Plans",
    ];

    private const string ImplicitUsingsPath = "SurgeImplicitUsings.g.cs";

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None);

    private static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        nullableContextOptions: NullableContextOptions.Enable,
        concurrentBuild: true);

    /// <summary>The portable PDB travels inside the assembly, so stack traces from user code show file:line.</summary>
    private static readonly EmitOptions EmitOptions = new(debugInformationFormat: DebugInformationFormat.Embedded);

    private static readonly SyntaxTree ImplicitUsingsTree = CSharpSyntaxTree.ParseText(
        string.Concat(ImplicitUsings.Select(ns => $"global using {ns};\n")), ParseOptions, ImplicitUsingsPath, Encoding.UTF8);

    /// <summary>Reads and compiles the file at <paramref name="path"/>; messages and stack traces name it as given.</summary>
    public static CompiledTestFile Compile(string path, CancellationToken cancellationToken = default)
    {
        string source;
        try
        {
            source = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"cannot read C# test file {path}: {e.Message}");
        }
        return Compile(source, path, cancellationToken);
    }

    /// <summary>Compiles <paramref name="source"/> as if it were the file <paramref name="fileName"/>.</summary>
    public static CompiledTestFile Compile(string source, string fileName, CancellationToken cancellationToken = default)
    {
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, fileName, Encoding.UTF8, cancellationToken);
        var compilation = CSharpCompilation.Create(
            AssemblyNameFor(fileName), [ImplicitUsingsTree, tree], FrameworkReferences.All, CompilationOptions);

        using var image = new MemoryStream();
        var result = compilation.Emit(image, options: EmitOptions, cancellationToken: cancellationToken);
        if (!result.Success)
        {
            throw ErrorsToException(result.Diagnostics, fileName);
        }

        var entryPoint = EntryPointFinder.Find(compilation, fileName);
        image.Position = 0;
        return CompiledTestFile.Load(fileName, image, entryPoint);
    }

    private static PlanException ErrorsToException(IEnumerable<Diagnostic> diagnostics, string fileName)
    {
        var errors = diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => (Location: ToSourceLocation(d.Location, fileName), Text: $"{d.Id}: {d.GetMessage(CultureInfo.InvariantCulture)}"))
            .OrderBy(e => e.Location.Line)
            .ThenBy(e => e.Location.Column)
            .ToList();

        // PlanException prefixes the first location, so each further error goes on its own line with its own.
        var reason = new StringBuilder(errors[0].Text);
        foreach (var (location, text) in errors.Skip(1).Take(MaxListedErrors - 1))
        {
            reason.Append('\n').Append(location).Append(": ").Append(text);
        }
        if (errors.Count > MaxListedErrors)
        {
            reason.Append(CultureInfo.InvariantCulture, $"\n... and {errors.Count - MaxListedErrors} more errors");
        }
        return new PlanException(reason.ToString(), errors[0].Location);
    }

    /// <summary>1-based, as editors show it; errors without a place in source (e.g. a bad reference) point at the file.</summary>
    internal static SourceLocation ToSourceLocation(Location location, string fileName)
    {
        if (!location.IsInSource)
        {
            return new SourceLocation(fileName, 1, 1);
        }
        var span = location.GetMappedLineSpan();
        return new SourceLocation(span.Path, span.StartLinePosition.Line + 1, span.StartLinePosition.Character + 1);
    }

    private static string AssemblyNameFor(string fileName)
    {
        var stem = Path.GetFileNameWithoutExtension(fileName);
        var safe = new string(stem.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray());
        return $"surge-script-{safe}";
    }
}
