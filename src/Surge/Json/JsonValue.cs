using System.Globalization;
using System.Text.Json;

namespace Surge.Json;

/// <summary>
/// The value a JSON path found, as text: a string unquoted and unescaped, a number, true, false or null as written
/// in the JSON, an object or array as its raw JSON.
/// </summary>
internal readonly record struct JsonValue(JsonValueKind Kind, string Text)
{
    /// <summary>
    /// Whether the value equals what a test wrote: strings exactly, numbers by value (1.0 equals 1), booleans
    /// ignoring case, null when <paramref name="expected"/> is null or "null", objects and arrays structurally.
    /// </summary>
    public bool ValueEquals(string? expected) => Kind switch
    {
        JsonValueKind.Null => expected is null || expected == "null",
        _ when expected is null => false,
        JsonValueKind.String => Text == expected,
        JsonValueKind.Number => Text == expected || NumbersEqual(Text, expected),
        JsonValueKind.True or JsonValueKind.False => string.Equals(Text, expected.Trim(), StringComparison.OrdinalIgnoreCase),
        JsonValueKind.Object or JsonValueKind.Array => StructurallyEqual(Text, expected),
        _ => false,
    };

    public override string ToString() => Text;

    private static bool NumbersEqual(string actual, string expected)
    {
        const NumberStyles Style = NumberStyles.Float;
        var culture = CultureInfo.InvariantCulture;
        if (decimal.TryParse(actual, Style, culture, out var a) && decimal.TryParse(expected, Style, culture, out var e))
        {
            return a == e;
        }
        return double.TryParse(actual, Style, culture, out var x) && double.TryParse(expected, Style, culture, out var y)
            && x.Equals(y);
    }

    private static bool StructurallyEqual(string actual, string expected)
    {
        try
        {
            using var a = JsonDocument.Parse(actual);
            using var e = JsonDocument.Parse(expected);
            return JsonElement.DeepEquals(a.RootElement, e.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
