using Microsoft.CodeAnalysis;
using Surge.Plans;

namespace Surge.Scripting;

/// <summary>The <c>Plan</c> method a test file declares, found on the compiled symbols so errors can point at it.</summary>
internal sealed record EntryPoint(string TypeName, bool ReturnsTask, SourceLocation Location);

internal static class EntryPointFinder
{
    public const string MethodName = "Plan";

    private const string Expected = "declare `public static TestPlan Plan()` (or `Task<TestPlan>`) on a public class";

    public static EntryPoint Find(Compilation compilation, string fileName)
    {
        var methods = TypesIn(compilation.Assembly.GlobalNamespace)
            .SelectMany(type => type.GetMembers(MethodName).OfType<IMethodSymbol>())
            .Where(method => method.MethodKind == MethodKind.Ordinary)
            .ToList();
        var candidates = methods.Where(method => method.IsStatic && IsPublic(method.ContainingType)).ToList();

        if (candidates.Count == 0)
        {
            if (methods.Count == 0)
            {
                throw new PlanException($"no entry point in {fileName}: {Expected}", new SourceLocation(fileName, 1, 1));
            }
            var near = methods[0];
            var why = near.IsStatic ? $"its type {near.ContainingType.Name} is not public" : "it is not static";
            throw Invalid(near, fileName, $"{near.ContainingType.Name}.{MethodName} cannot be the entry point: {why}; {Expected}");
        }
        if (candidates.Count > 1)
        {
            var places = string.Join(", ", candidates.Select(m => $"{m.ContainingType.Name}.{MethodName} at {LocationOf(m, fileName)}"));
            throw Invalid(candidates[1], fileName, $"{fileName} has {candidates.Count} entry points ({places}); keep one");
        }

        var entry = candidates[0];
        var plan = compilation.GetTypeByMetadataName(typeof(TestPlan).FullName!);
        var problem = SignatureProblem(entry, compilation, plan);
        if (problem is not null)
        {
            throw Invalid(entry, fileName, $"{entry.ContainingType.Name}.{MethodName} {problem}; {Expected}");
        }
        var returnsTask = !SymbolEqualityComparer.Default.Equals(entry.ReturnType, plan);
        return new EntryPoint(ReflectionName(entry.ContainingType), returnsTask, LocationOf(entry, fileName));
    }

    private static string? SignatureProblem(IMethodSymbol method, Compilation compilation, INamedTypeSymbol? plan)
    {
        if (method.DeclaredAccessibility != Accessibility.Public)
        {
            return "is not public";
        }
        if (method.Parameters.Length > 0)
        {
            return "must take no parameters";
        }
        if (method.IsGenericMethod || method.ContainingType.IsGenericType || ContainersOf(method.ContainingType).Any(t => t.IsGenericType))
        {
            return "must not be generic nor inside a generic type";
        }
        var task = compilation.GetTypeByMetadataName(typeof(Task<>).FullName!);
        var returnsPlan = SymbolEqualityComparer.Default.Equals(method.ReturnType, plan);
        var returnsTaskOfPlan = method.ReturnType is INamedTypeSymbol { IsGenericType: true } named
            && SymbolEqualityComparer.Default.Equals(named.ConstructedFrom, task)
            && SymbolEqualityComparer.Default.Equals(named.TypeArguments[0], plan);
        return returnsPlan || returnsTaskOfPlan
            ? null
            : $"returns {method.ReturnType.ToDisplayString()}, not TestPlan or Task<TestPlan>";
    }

    private static PlanException Invalid(IMethodSymbol method, string fileName, string reason) =>
        new(reason, LocationOf(method, fileName));

    private static SourceLocation LocationOf(IMethodSymbol method, string fileName) =>
        TestFileCompiler.ToSourceLocation(method.Locations[0], fileName);

    private static bool IsPublic(INamedTypeSymbol type) =>
        type.DeclaredAccessibility == Accessibility.Public && ContainersOf(type).All(t => t.DeclaredAccessibility == Accessibility.Public);

    private static IEnumerable<INamedTypeSymbol> ContainersOf(INamedTypeSymbol type)
    {
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            yield return outer;
        }
    }

    private static IEnumerable<INamedTypeSymbol> TypesIn(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceOrTypeSymbol nested)
            {
                if (nested is INamedTypeSymbol type)
                {
                    yield return type;
                }
                foreach (var inner in TypesIn(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    /// <summary>The name reflection knows: namespaces joined by '.', nested types by '+'.</summary>
    private static string ReflectionName(INamedTypeSymbol type)
    {
        if (type.ContainingType is { } outer)
        {
            return $"{ReflectionName(outer)}+{type.MetadataName}";
        }
        var namespaces = new List<string>();
        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            namespaces.Insert(0, ns.MetadataName);
        }
        namespaces.Add(type.MetadataName);
        return string.Join('.', namespaces);
    }
}
