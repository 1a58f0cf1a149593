using System.Reflection;
using System.Runtime.Loader;
using Surge.Plans;

namespace Surge.Scripting;

/// <summary>
/// Holds one compiled test file so it can be unloaded. Surge.Core resolves to the very instance the host uses, so
/// the <see cref="TestPlan"/> a script returns is the host's type; everything else falls back to the default context.
/// </summary>
internal sealed class ScriptLoadContext(string name) : AssemblyLoadContext(name, isCollectible: true)
{
    private static readonly Assembly SurgeCore = typeof(TestPlan).Assembly;

    protected override Assembly? Load(AssemblyName assemblyName) =>
        AssemblyName.ReferenceMatchesDefinition(assemblyName, SurgeCore.GetName()) ? SurgeCore : null;
}
