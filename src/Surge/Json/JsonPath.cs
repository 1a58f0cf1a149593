using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Surge.Json;

/// <summary>
/// A compiled JSON path over a UTF-8 body: <c>$</c>, <c>.name</c>, <c>['name']</c> or <c>["name"]</c>, <c>[2]</c>,
/// <c>[-1]</c> (the last element), <c>[*]</c> (any element) and <c>.length</c> (an array's element count; on an
/// object, its "length" property). The leading <c>$</c> may be left out (<c>data.items[0].id</c>). When <c>[*]</c>
/// lets the path match several values, one of them is the value, chosen uniformly at random (as Artillery's capture
/// does): <c>$[*].id</c> picks a random id from a list. A path is immutable and evaluates on any thread.
/// </summary>
internal sealed class JsonPath
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    private readonly PathSegment[] _segments;

    private JsonPath(string text, PathSegment[] segments)
    {
        Text = text;
        _segments = segments;
    }

    public string Text { get; }

    /// <exception cref="JsonPathSyntaxException">The path is not valid; its column says where.</exception>
    public static JsonPath Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new JsonPath(text, JsonPathParser.Parse(text));
    }

    /// <summary>True when the body is JSON with a value at the path (JSON null counts as a value).</summary>
    public bool TryEvaluate(ReadOnlySpan<byte> utf8Body, out JsonValue value) =>
        Evaluate(utf8Body, out value) == JsonPathOutcome.Found;

    /// <summary>
    /// True when the path has a value that <paramref name="accept"/> accepts; with <c>[*]</c>, any matching element
    /// may be the one (a check that `$.items[*].status` equals "ok" passes when some item's does).
    /// </summary>
    public bool TryEvaluate(ReadOnlyMemory<byte> utf8Body, Func<JsonValue, bool> accept, out JsonValue value) =>
        Evaluate(utf8Body.Span, accept, out value) == JsonPathOutcome.Found;

    public bool TryEvaluate(ReadOnlyMemory<byte> utf8Body, out JsonValue value) => TryEvaluate(utf8Body.Span, out value);

    public JsonPathOutcome Evaluate(ReadOnlyMemory<byte> utf8Body, out JsonValue value) => Evaluate(utf8Body.Span, out value);

    /// <summary>
    /// Looks the path up without building a document. The whole body is read even after the value is found, so a
    /// truncated or malformed body is <see cref="JsonPathOutcome.NotJson"/> rather than a partial answer. Never throws
    /// for a bad body.
    /// </summary>
    public JsonPathOutcome Evaluate(ReadOnlySpan<byte> utf8Body, out JsonValue value) => Evaluate(utf8Body, null, out value);

    private JsonPathOutcome Evaluate(ReadOnlySpan<byte> utf8Body, Func<JsonValue, bool>? accept, out JsonValue value)
    {
        value = default;
        if (utf8Body.StartsWith(Encoding.UTF8.Preamble))
        {
            utf8Body = utf8Body[Encoding.UTF8.Preamble.Length..];
        }
        var reader = new Utf8JsonReader(utf8Body, ReaderOptions);
        try
        {
            if (!reader.Read())
            {
                return JsonPathOutcome.NotJson;
            }
            var found = TryWalk(ref reader, utf8Body, 0, accept, out var result);
            while (reader.Read())
            {
                // Reading to the end is what proves the body is JSON.
            }
            value = found ? result : default;
            return found ? JsonPathOutcome.Found : JsonPathOutcome.Missing;
        }
        catch (JsonException)
        {
            return JsonPathOutcome.NotJson;
        }
        catch (InvalidOperationException)
        {
            // A string with invalid UTF-8 or escapes surfaces when it is decoded.
            return JsonPathOutcome.NotJson;
        }
    }

    public override string ToString() => Text;

    private bool TryWalk(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, int from, Func<JsonValue, bool>? accept, out JsonValue value)
    {
        value = default;
        for (var i = from; i < _segments.Length; i++)
        {
            var segment = _segments[i];
            switch (segment.Kind)
            {
                case SegmentKind.Length when reader.TokenType == JsonTokenType.StartArray:
                    var count = CountElements(ref reader);
                    if (i != _segments.Length - 1)
                    {
                        return false;
                    }
                    value = new JsonValue(JsonValueKind.Number, count.ToString(CultureInfo.InvariantCulture));
                    return accept is null || accept(value);
                case SegmentKind.Property or SegmentKind.Length:
                    if (reader.TokenType != JsonTokenType.StartObject || !MoveToProperty(ref reader, segment.Name))
                    {
                        return false;
                    }
                    break;
                case SegmentKind.AnyElement:
                    return reader.TokenType == JsonTokenType.StartArray && TryAnyElement(ref reader, body, i + 1, accept, out value);
                default:
                    if (reader.TokenType != JsonTokenType.StartArray || !MoveToElement(ref reader, segment.Index))
                    {
                        return false;
                    }
                    break;
            }
        }
        value = ReadValue(ref reader, body);
        return accept is null || accept(value);
    }

    /// <summary>
    /// Walks the rest of the path in every element and keeps one match, uniformly at random, in one pass: the k-th
    /// match replaces the kept one with probability 1/k (reservoir sampling), so no list of matches is built.
    /// </summary>
    private bool TryAnyElement(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, int rest, Func<JsonValue, bool>? accept, out JsonValue value)
    {
        value = default;
        var matches = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            // The walk reads a copy, which may stop inside the element; the original then skips it whole.
            var element = reader;
            if (TryWalk(ref element, body, rest, accept, out var match) && Random.Shared.Next(++matches) == 0)
            {
                value = match;
            }
            reader.Skip();
        }
        return matches > 0;
    }

    /// <summary>From an object's start to the value of its first property named <paramref name="name"/>.</summary>
    private static bool MoveToProperty(ref Utf8JsonReader reader, string name)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name))
            {
                reader.Read();
                return true;
            }
            reader.Skip();
        }
        return false;
    }

    /// <summary>From an array's start to its element at <paramref name="index"/>; negative counts from the end.</summary>
    private static bool MoveToElement(ref Utf8JsonReader reader, int index)
    {
        if (index < 0)
        {
            // The reader is a struct: a copy counts ahead while the original stays at the array's start.
            var ahead = reader;
            index += CountElements(ref ahead);
            if (index < 0)
            {
                return false;
            }
        }
        for (var position = 0; reader.Read() && reader.TokenType != JsonTokenType.EndArray; position++)
        {
            if (position == index)
            {
                return true;
            }
            reader.Skip();
        }
        return false;
    }

    private static int CountElements(ref Utf8JsonReader reader)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            reader.Skip();
        }
        return count;
    }

    private static JsonValue ReadValue(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new JsonValue(JsonValueKind.String, reader.GetString()!);
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                var kind = reader.TokenType == JsonTokenType.StartObject ? JsonValueKind.Object : JsonValueKind.Array;
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return new JsonValue(kind, Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]));
            default:
                var scalar = reader.TokenType switch
                {
                    JsonTokenType.Number => JsonValueKind.Number,
                    JsonTokenType.True => JsonValueKind.True,
                    JsonTokenType.False => JsonValueKind.False,
                    _ => JsonValueKind.Null,
                };
                return new JsonValue(scalar, Encoding.UTF8.GetString(reader.ValueSpan));
        }
    }
}
