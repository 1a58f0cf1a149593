using System.Globalization;
using System.Text.Json;

namespace Surge.Reporting;

/// <summary>
/// A JSON value together with its JSONPath, so that every complaint about a malformed file says where it is:
/// "$.metrics[2].series[0].values.samples: expected an integer, found String".
/// </summary>
internal readonly record struct JsonField(JsonElement Element, string Path)
{
    public FormatException Error(string problem, Exception? inner = null) =>
        new($"surge result file: {Path}: {problem}", inner);

    public JsonField Required(string name)
    {
        var obj = Expect(JsonValueKind.Object, "an object");
        return obj.Element.TryGetProperty(name, out var value)
            ? new JsonField(value, $"{Path}.{name}")
            : throw Error($"missing property '{name}'");
    }

    public JsonField? Optional(string name)
    {
        var obj = Expect(JsonValueKind.Object, "an object");
        return obj.Element.TryGetProperty(name, out var value) ? new JsonField(value, $"{Path}.{name}") : null;
    }

    public IEnumerable<JsonField> Items()
    {
        var array = Expect(JsonValueKind.Array, "an array");
        var index = 0;
        foreach (var item in array.Element.EnumerateArray())
        {
            yield return new JsonField(item, $"{Path}[{index.ToString(CultureInfo.InvariantCulture)}]");
            index++;
        }
    }

    public IEnumerable<(string Name, JsonField Value)> Properties()
    {
        var obj = Expect(JsonValueKind.Object, "an object");
        foreach (var property in obj.Element.EnumerateObject())
        {
            yield return (property.Name, new JsonField(property.Value, $"{Path}.{property.Name}"));
        }
    }

    public string String() => Expect(JsonValueKind.String, "a string").Element.GetString()!;

    public bool Bool() => Element.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Error($"expected true or false, found {Element.ValueKind}"),
    };

    public long Long() => Expect(JsonValueKind.Number, "an integer").Element.TryGetInt64(out var value)
        ? value
        : throw Error($"expected an integer, found {Element.GetRawText()}");

    public int Int() => Expect(JsonValueKind.Number, "an integer").Element.TryGetInt32(out var value)
        ? value
        : throw Error($"expected a 32-bit integer, found {Element.GetRawText()}");

    /// <summary>A number, or one of the strings "NaN", "Infinity", "-Infinity" that JSON cannot write as numbers.</summary>
    public double Double()
    {
        if (Element.ValueKind == JsonValueKind.String)
        {
            return Element.GetString() switch
            {
                "NaN" => double.NaN,
                "Infinity" => double.PositiveInfinity,
                "-Infinity" => double.NegativeInfinity,
                var other => throw Error($"expected a number, found \"{other}\""),
            };
        }
        return Expect(JsonValueKind.Number, "a number").Element.GetDouble();
    }

    public double? NullableDouble() => Element.ValueKind == JsonValueKind.Null ? null : Double();

    /// <summary>A string parsed by <paramref name="parse"/>; whatever it throws becomes a FormatException with this path.</summary>
    public T Parse<T>(Func<string, T> parse, string what)
    {
        var text = String();
        try
        {
            return parse(text);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Error($"'{text}' is not {what}: {ex.Message}", ex);
        }
    }

    private JsonField Expect(JsonValueKind kind, string what) =>
        Element.ValueKind == kind ? this : throw Error($"expected {what}, found {Element.ValueKind}");
}
