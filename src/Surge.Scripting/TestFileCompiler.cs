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

    private const string ImageFile = "script.dll";

    private const string EntryPointFile = "entry-point.txt";

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

#pragma warning disable RS0026 // Compile(path) and Compile(source, fileName) read as meant; the token is the same optional last argument in both
    /// <summary>Reads and compiles the file at <paramref name="path"/>; messages and stack traces name it as given.</summary>
    public static CompiledTestFile Compile(string path, CancellationToken cancellationToken = default) =>
        Compile(Read(path), path, cancellationToken);

    /// <summary>Compiles <paramref name="source"/> as if it were the file <paramref name="fileName"/>.</summary>
    public static CompiledTestFile Compile(string source, string fileName, CancellationToken cancellationToken = default)
    {
        var (image, entryPoint) = Emit(source, fileName, cancellationToken);
        using var stream = new MemoryStream(image);
        return CompiledTestFile.Load(fileName, stream, entryPoint);
    }
#pragma warning restore RS0026

    /// <summary>
    /// Compiles the file at <paramref name="path"/> into <paramref name="directory"/> (the assembly and where its
    /// entry point is), for a host that compiles in another process and loads with <see cref="LoadCompiled"/>.
    /// </summary>
    internal static void CompileInto(string path, string directory, CancellationToken cancellationToken = default)
    {
        var (image, entryPoint) = Emit(Read(path), path, cancellationToken);
        File.WriteAllBytes(Path.Combine(directory, ImageFile), image);
        File.WriteAllLines(Path.Combine(directory, EntryPointFile),
        [
            entryPoint.TypeName,
            entryPoint.ReturnsTask ? "task" : "plan",
            entryPoint.Location.Line.ToString(CultureInfo.InvariantCulture),
            entryPoint.Location.Column.ToString(CultureInfo.InvariantCulture),
        ]);
    }

    /// <summary>Loads what <see cref="CompileInto"/> wrote for the file at <paramref name="path"/>.</summary>
    internal static CompiledTestFile LoadCompiled(string path, string directory)
    {
        var lines = File.ReadAllLines(Path.Combine(directory, EntryPointFile));
        var location = new SourceLocation(path, int.Parse(lines[2], CultureInfo.InvariantCulture), int.Parse(lines[3], CultureInfo.InvariantCulture));
        using var image = File.OpenRead(Path.Combine(directory, ImageFile));
        return CompiledTestFile.Load(path, image, new EntryPoint(lines[0], lines[1] == "task", location));
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"cannot read C# test file {path}: {e.Message}");
        }
    }

    private static (byte[] Image, EntryPoint EntryPoint) Emit(string source, string fileName, CancellationToken cancellationToken)
    {
        var tree = CSharpSyntaxTree.ParseText(source, ParseOptions, fileName, Encoding.UTF8, cancellationToken);
        var stubs = ProtoStubs.Generate(ProtoStubs.Named(source, fileName), ParseOptions, cancellationToken);
        var compilation = CSharpCompilation.Create(
            AssemblyNameFor(fileName), [ImplicitUsingsTree, tree, .. stubs], FrameworkReferences.All, CompilationOptions);

        using var image = new MemoryStream();
        var result = compilation.Emit(image, options: EmitOptions, cancellationToken: cancellationToken);
        if (!result.Success)
        {
            throw ErrorsToException(result.Diagnostics, fileName);
        }
        return (image.ToArray(), EntryPointFinder.Find(compilation, fileName));
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
