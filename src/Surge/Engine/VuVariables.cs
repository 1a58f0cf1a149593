using System.Diagnostics.CodeAnalysis;
using Surge.Templating;

namespace Surge.Engine;

/// <summary>One VU's variables: captures, loop items. They live as long as the VU, across its iterations.</summary>
public sealed class VuVariables : IVariables
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public void Set(string name, string value) => _values[name] = value;

    public bool TryGet(string name, [NotNullWhen(true)] out string? value) => _values.TryGetValue(name, out value);
}
