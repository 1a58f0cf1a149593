using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>
/// Writes a YAML node as JSON: mappings become objects, sequences arrays, and plain scalars that YAML's core
/// schema reads as numbers, booleans or null keep that type. Quoted (or !!str) scalars are always strings.
/// </summary>
internal static partial class JsonBody
{
    // Deep enough for any real body; stops runaway nesting before Utf8JsonWriter's own limit throws.
    private const int MaxDepth = 64;
    private const string StringTag = "tag:yaml.org,2002:str";

    /// <summary>The JSON text of a json: body, every string escaped once and every limit checked.</summary>
    /// <param name="source">The test file, for the location of an error.</param>
    /// <param name="key">The json: key, blamed when the body grows past a limit (an alias points elsewhere).</param>
    /// <param name="node">The body as written under the key.</param>
    public static string Write(YamlSource source, YamlNode key, YamlNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        // A request body is not embedded in HTML, so non-ASCII text and <>&' stay as written.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var budget = new Budget(source, key);
            WriteNode(source, writer, node, new HashSet<YamlNode>(ReferenceEqualityComparer.Instance), budget);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <param name="source">The test file, for the location of an error.</param>
    /// <param name="writer">Where the JSON goes.</param>
    /// <param name="node">The value to write, with everything under it.</param>
    /// <param name="path">The collections enclosing <paramref name="node"/>: an alias back into one would never end.</param>
    /// <param name="budget">What the whole body may still grow by.</param>
    private static void WriteNode(YamlSource source, Utf8JsonWriter writer, YamlNode node, HashSet<YamlNode> path, Budget budget)
    {
        budget.Spend(writer);
        if (node is not YamlScalarNode && !path.Add(node))
        {
            throw source.Error(node, "json contains itself through an alias; JSON cannot hold a cycle");
        }
        if (path.Count > MaxDepth)
        {
            throw source.Error(node, $"json is nested more than {MaxDepth} levels deep");
        }
        switch (node)
        {
            case YamlMappingNode mapping:
                writer.WriteStartObject();
                foreach (var (key, value) in mapping.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw source.Error(key, "json object keys must be text");
                    }
                    writer.WritePropertyName(name);
                    WriteNode(source, writer, value, path, budget);
                }
                writer.WriteEndObject();
                path.Remove(node);
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                foreach (var item in sequence.Children)
                {
                    WriteNode(source, writer, item, path, budget);
                }
                writer.WriteEndArray();
                path.Remove(node);
                break;
            case YamlScalarNode scalar:
                WriteScalar(writer, scalar);
                break;
            default:
                throw source.Error(node, "json cannot hold this YAML node");
        }
    }

    private static void WriteScalar(Utf8JsonWriter writer, YamlScalarNode scalar)
    {
        var (kind, text) = Classify(scalar);
        switch (kind)
        {
            case Surge.Grpc.ProtoJsonKind.Null:
                writer.WriteNullValue();
                break;
            case Surge.Grpc.ProtoJsonKind.Bool:
                writer.WriteBooleanValue(text == "true");
                break;
            case Surge.Grpc.ProtoJsonKind.Number:
                // Written as given, so 1.50 or 12345678901234567890 are not rounded through a double.
                writer.WriteRawValue(text);
                break;
            default:
                writer.WriteStringValue(text);
                break;
        }
    }

    /// <summary>
    /// The JSON kind of a YAML scalar and its JSON text: quoted (or !!str) scalars are strings; plain ones that YAML's
    /// core schema reads as null, booleans or numbers keep that type (numbers as written when JSON spells them so).
    /// </summary>
    public static (Surge.Grpc.ProtoJsonKind Kind, string Text) Classify(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || (scalar.Tag.IsGlobal && scalar.Tag.Value == StringTag))
        {
            return (Surge.Grpc.ProtoJsonKind.String, text);
        }
        if (YamlSource.IsNull(scalar))
        {
            return (Surge.Grpc.ProtoJsonKind.Null, "null");
        }
        if (text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return (Surge.Grpc.ProtoJsonKind.Bool, text[0] is 't' or 'T' ? "true" : "false");
        }
        if (JsonNumber().IsMatch(text))
        {
            return (Surge.Grpc.ProtoJsonKind.Number, text);
        }
        // YAML numbers that JSON spells differently: +1, 007, .5, 1.
        return YamlNumber().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? (Surge.Grpc.ProtoJsonKind.Number, number.ToString("R", CultureInfo.InvariantCulture))
            : (Surge.Grpc.ProtoJsonKind.String, text);
    }

    /// <summary>Values and bytes written so far: aliases repeat nodes, so a few lines can expand without end.</summary>
    private sealed class Budget(YamlSource source, YamlNode key)
    {
        private const string AliasHint = "aliases (*name) repeat what they point to, so a few lines can expand without end";
            private int _values;

        public void Spend(Utf8JsonWriter writer)
        {
            if (++_values > YamlLimits.MaxJsonValues)
            {
                throw source.Error(key, $"json expands to more than {YamlLimits.MaxJsonValues} values (the limit); {AliasHint}");
            }
            if (writer.BytesCommitted + writer.BytesPending > YamlLimits.MaxJsonBytes)
            {
                throw source.Error(key, $"json expands to more than {YamlLimits.MaxJsonBytes} bytes (the limit); {AliasHint}");
            }
        }
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex JsonNumber();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex YamlNumber();
}
