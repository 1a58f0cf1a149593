using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Surge.Plans;

namespace Surge.Scripting;

/// <summary>
/// What a test file compiles against: the running framework's assemblies (from the host's trusted platform
/// assemblies, as reference packs need not be installed where surge runs) plus Surge.Core and the gRPC client libraries. Built once per process:
/// reading ~170 assemblies' metadata is most of a warm compile's cost.
/// </summary>
internal static class FrameworkReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> Cached = new(Load);

    public static ImmutableArray<MetadataReference> All => Cached.Value;

    private static ImmutableArray<MetadataReference> Load()
    {
        var coreLibrary = typeof(object).Assembly.Location;
        var surgeCore = typeof(TestPlan).Assembly.Location;
        if (coreLibrary.Length == 0 || surgeCore.Length == 0)
        {
            throw new InvalidOperationException("C# tests need the framework's assemblies on disk; this build of surge is a single file without them.");
        }

        // Only the shared framework's directory: the host's list also holds the app's own dependencies (Roslyn,
        // test runners), which user code must not see.
        var frameworkDirectory = Path.GetDirectoryName(coreLibrary);
        var trusted = (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var paths = new SortedSet<string>(
            trusted.Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal)),
            StringComparer.Ordinal);
        if (paths.Count == 0)
        {
            paths.UnionWith(AppDomain.CurrentDomain.GetAssemblies()
                .Where(a => !a.IsDynamic && a.Location.Length > 0)
                .Select(a => a.Location)
                .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal)));
        }
        paths.Add(surgeCore);
        // gRPC: the client types Surge's API speaks (CallInvoker, Metadata, GrpcChannel) and what generated stubs need.
        paths.Add(typeof(global::Grpc.Core.CallInvoker).Assembly.Location);
        paths.Add(typeof(global::Grpc.Net.Client.GrpcChannel).Assembly.Location);
        paths.Add(typeof(global::Google.Protobuf.IMessage).Assembly.Location);
        return [.. paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }
}
