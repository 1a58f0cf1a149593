using System.Diagnostics.CodeAnalysis;
using Surge.Data;
using Surge.Templating;

namespace Surge.Engine;

/// <summary>
/// One VU's variables: captures and loop items, kept across its iterations, then the fields of the data record the
/// current iteration took (`{{ email }}` or `{{ users.email }}`), then what setup captured for everyone.
/// </summary>
public sealed class VuVariables : IVariables
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly SetupOutputs _shared;

    internal VuVariables(SetupOutputs shared) => _shared = shared;

    /// <summary>This VU's own values, e.g. what setup captured, to publish to every VU.</summary>
    public IReadOnlyDictionary<string, string> Own => _values;
    private DataRecord? _record;
    private string? _recordSource;

    /// <summary>Sets one of this VU's own values, kept across its iterations; it hides a data field or setup output of that name.</summary>
    public void Set(string name, string value) => _values[name] = value;

    /// <summary>Reads a variable (throwing, with its name, when it is nowhere) or sets one of this VU's own.</summary>
    public string this[string name]
    {
        get => TryGet(name, out var value) ? value : throw new KeyNotFoundException($"no variable '{name}': not set by this VU, not a field of the data record, not published by setup");
        set => Set(name, value);
    }

    /// <summary>The record of the current iteration, from the data source named <paramref name="source"/>.</summary>
    internal void UseRecord(DataRecord record, string source)
    {
        _record = record;
        _recordSource = source;
    }

    /// <summary>
    /// Looks <paramref name="name"/> up in the VU's own values, then the current data record (by field, or as
    /// <c>source.field</c>), then setup's outputs; false when it is in none.
    /// </summary>
    public bool TryGet(string name, [NotNullWhen(true)] out string? value)
    {
        if (_values.TryGetValue(name, out value))
        {
            return true;
        }
        if (_record is { } record)
        {
            var field = name.StartsWith(_recordSource!, StringComparison.Ordinal) && name.Length > _recordSource!.Length && name[_recordSource.Length] == '.'
                ? name[(_recordSource.Length + 1)..]
                : name;
            if (record.TryGet(field, out value))
            {
                return true;
            }
        }
        return _shared.Values.TryGetValue(name, out value);
    }
}
