using System.Diagnostics.CodeAnalysis;

namespace Surge.Templating;

/// <summary>Variables read from a dictionary, e.g. setup outputs or one data record.</summary>
internal sealed class DictionaryVariables(IReadOnlyDictionary<string, string> values) : IVariables
{
    public static DictionaryVariables Empty { get; } = new(new Dictionary<string, string>());

    public bool TryGet(string name, [NotNullWhen(true)] out string? value) => values.TryGetValue(name, out value);
}
