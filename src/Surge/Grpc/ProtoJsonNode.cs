using System.Text.Json;
using Surge.Plans;

namespace Surge.Grpc;

/// <summary>The JSON kinds a gRPC message's source can hold.</summary>
public enum ProtoJsonKind
{
    /// <summary>A mapping of field names to nodes: a message, or a map field.</summary>
    Object,

    /// <summary>A list of nodes: a repeated field.</summary>
    Array,

    /// <summary>A string, perhaps a <c>{{ }}</c> template; also how a YAML scalar arrives, read by its field's type.</summary>
    String,

    /// <summary>A JSON number, kept as written so that 64-bit integers lose no digits.</summary>
    Number,

    /// <summary>true or false.</summary>
    Bool,

    /// <summary>null: the field keeps its default, i.e. is not sent (for google.protobuf.Value, it is NullValue).</summary>
    Null,
}

/// <summary>
/// A message as the test wrote it (a YAML mapping or JSON text): a tree whose leaves keep their source text and
/// place, so that a value that does not fit the descriptor is reported at its own file:line:col. A string leaf with
/// <c>{{ }}</c> is a template, rendered on every call and read by the type of the field it lands in.
/// </summary>
/// <param name="Kind">Which of the members below hold the node's content.</param>
public sealed record ProtoJsonNode(ProtoJsonKind Kind)
{
    /// <summary>A scalar's text: the string, the number as written, true/false.</summary>
    public string Text { get; init; } = "";

    /// <summary>An object's fields in source order, by their proto or JSON name; empty for other kinds.</summary>
    public IReadOnlyList<KeyValuePair<string, ProtoJsonNode>> Properties { get; init; } = [];

    /// <summary>An array's items in order; empty for other kinds.</summary>
    public IReadOnlyList<ProtoJsonNode> Items { get; init; } = [];

    /// <summary>Where the node was written, for errors; null for a node parsed from JSON text.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>True for a string holding <c>{{</c>: it is rendered for every call rather than encoded once.</summary>
    public bool IsTemplate => Kind == ProtoJsonKind.String && Text.Contains("{{", StringComparison.Ordinal);

    /// <summary>A string leaf, written at <paramref name="at"/> when known.</summary>
    public static ProtoJsonNode String(string text, SourceLocation? at = null) => new(ProtoJsonKind.String) { Text = text, Location = at };

    /// <summary>The tree of JSON text, e.g. a message a test passes as JSON; JSON has no places to point at.</summary>
    /// <exception cref="JsonException"><paramref name="json"/> is not valid JSON.</exception>
    public static ProtoJsonNode Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return From(document.RootElement);
    }

    /// <summary>The tree of a parsed JSON element; numbers keep their raw text.</summary>
    public static ProtoJsonNode From(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => new ProtoJsonNode(ProtoJsonKind.Object)
        {
            Properties = [.. element.EnumerateObject().Select(p => new KeyValuePair<string, ProtoJsonNode>(p.Name, From(p.Value)))],
        },
        JsonValueKind.Array => new ProtoJsonNode(ProtoJsonKind.Array) { Items = [.. element.EnumerateArray().Select(From)] },
        JsonValueKind.String => String(element.GetString()!),
        JsonValueKind.Number => new ProtoJsonNode(ProtoJsonKind.Number) { Text = element.GetRawText() },
        JsonValueKind.True => new ProtoJsonNode(ProtoJsonKind.Bool) { Text = "true" },
        JsonValueKind.False => new ProtoJsonNode(ProtoJsonKind.Bool) { Text = "false" },
        _ => new ProtoJsonNode(ProtoJsonKind.Null) { Text = "null" },
    };

    /// <summary>The node as an error message names it: "an object", "a list", "the string \"x\"", "the number 3", "true", "null".</summary>
    public string Describe() => Kind switch
    {
        ProtoJsonKind.Object => "an object",
        ProtoJsonKind.Array => "a list",
        ProtoJsonKind.String => $"the string \"{Text}\"",
        ProtoJsonKind.Number => $"the number {Text}",
        ProtoJsonKind.Bool => Text,
        _ => "null",
    };
}
