namespace Surge.Engine;

/// <summary>What setup captured (a token, an id), published once before the scenarios start and read-only after.</summary>
internal sealed class SetupOutputs
{
    private volatile IReadOnlyDictionary<string, string> _values = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Values => _values;

    internal void Publish(IReadOnlyDictionary<string, string> values) =>
        _values = new Dictionary<string, string>(values, StringComparer.Ordinal);
}
