using System.Text;
using System.Text.Json;
using Surge.Plans;

namespace Surge.Data;

/// <summary>
/// Reads a JSON array of flat objects: each object is a record, its keys the fields (the first object sets them and the
/// others must have the same), its values strings, numbers (kept as written), booleans or null (an empty value).
/// </summary>
internal static class JsonTableReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static ParsedTable Read(string path, byte[] bytes)
    {
        var json = bytes.AsSpan();
        if (json.StartsWith(Encoding.UTF8.Preamble))
        {
            json = json[Encoding.UTF8.Preamble.Length..];
        }
        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new PlanException("the JSON file is empty: write an array of objects, one per record", new SourceLocation(path, 1, 1));
        }
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            return ReadArray(ref reader, path, json);
        }
        catch (JsonException e)
        {
            var location = new SourceLocation(path, (int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1);
            throw new PlanException($"the file is not valid JSON: {FirstSentence(e.Message)}", location);
        }
    }

    private static ParsedTable ReadArray(ref Utf8JsonReader reader, string path, ReadOnlySpan<byte> json)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error($"the file holds {Describe(reader.TokenType)}; write an array of objects, one per record", ref reader, path, json);
        }
        string[]? fields = null;
        var rows = new List<string[]>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw Error($"record {rows.Count + 1} is {Describe(reader.TokenType)}; each record must be an object of field values",
                    ref reader, path, json);
            }
            var objectStart = reader.TokenStartIndex;
            var (names, values) = ReadObject(ref reader, path, json);
            if (fields is null)
            {
                if (DataTable.DescribeBadFieldNames(names) is { } problem)
                {
                    throw new PlanException($"the first record names the fields: {problem}", Locate(path, json, objectStart));
                }
                fields = [.. names];
            }
            rows.Add(InFieldOrder(fields, names, values, path, Locate(path, json, objectStart)));
        }
        reader.Read(); // throws if anything but whitespace or comments follows the array
        return fields is null
            ? throw new PlanException("the JSON array has no records", new SourceLocation(path, 1, 1))
            : new ParsedTable(fields, [.. rows]);
    }

    private static (List<string> Names, List<string> Values) ReadObject(ref Utf8JsonReader reader, string path, ReadOnlySpan<byte> json)
    {
        var names = new List<string>();
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            if (names.Contains(name, StringComparer.Ordinal))
            {
                throw Error($"the field '{name}' appears twice in this record", ref reader, path, json);
            }
            reader.Read();
            names.Add(name);
            values.Add(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString()!,
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
                JsonTokenType.True => "true",
                JsonTokenType.False => "false",
                JsonTokenType.Null => "",
                _ => throw Error($"the field '{name}' holds {Describe(reader.TokenType)}; values must be strings, numbers, booleans or null",
                    ref reader, path, json),
            });
        }
        return (names, values);
    }

    private static string[] InFieldOrder(string[] fields, List<string> names, List<string> values, string path, SourceLocation at)
    {
        var row = new string[fields.Length];
        var filled = 0;
        for (var i = 0; i < names.Count; i++)
        {
            var index = Array.IndexOf(fields, names[i]);
            if (index < 0)
            {
                throw new PlanException(
                    $"this record has the field '{names[i]}', which the first record lacks (its fields are {string.Join(", ", fields)})", at);
            }
            row[index] = values[i];
            filled++;
        }
        if (filled < fields.Length)
        {
            var missing = fields.Where((_, index) => row[index] is null);
            throw new PlanException($"this record lacks {string.Join(", ", missing)}, which the first record has", at);
        }
        return row;
    }

    private static PlanException Error(string message, ref Utf8JsonReader reader, string path, ReadOnlySpan<byte> json) =>
        new(message, Locate(path, json, reader.TokenStartIndex));

    private static SourceLocation Locate(string path, ReadOnlySpan<byte> json, long byteIndex)
    {
        var before = json[..(int)byteIndex];
        var lineStart = before.LastIndexOf((byte)'\n') + 1;
        return new SourceLocation(path, 1 + before.Count((byte)'\n'), 1 + Encoding.UTF8.GetCharCount(before[lineStart..]));
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
