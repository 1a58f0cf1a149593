using System.Text.Json;
using Surge.Plans;

namespace Surge.Grpc;

/// <summary>The JSON kinds a gRPC message's source can hold.</summary>
public enum ProtoJsonKind
{
    Object,
    Array,
    String,
    Number,
    Bool,
    Null,
}

/// <summary>
/// A message as the test wrote it (a YAML mapping or JSON text): a tree whose leaves keep their source text and
/// place, so that a value that does not fit the descriptor is reported at its own file:line:col. A string leaf with
/// <c>{{ }}</c> is a template, rendered on every call and read by the type of the field it lands in.
/// </summary>
public sealed record ProtoJsonNode(ProtoJsonKind Kind)
{
    /// <summary>A scalar's text: the string, the number as written, true/false.</summary>
    public string Text { get; init; } = "";

    public IReadOnlyList<KeyValuePair<string, ProtoJsonNode>> Properties { get; init; } = [];

    public IReadOnlyList<ProtoJsonNode> Items { get; init; } = [];

    public SourceLocation? Location { get; init; }

    public bool IsTemplate => Kind == ProtoJsonKind.String && Text.Contains("{{", StringComparison.Ordinal);

    public static ProtoJsonNode String(string text, SourceLocation? at = null) => new(ProtoJsonKind.String) { Text = text, Location = at };

    /// <summary>The tree of JSON text, e.g. a message a test passes as JSON; JSON has no places to point at.</summary>
    public static ProtoJsonNode Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return From(document.RootElement);
    }

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
