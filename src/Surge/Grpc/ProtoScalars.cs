using System.Buffers.Text;
using System.Collections.Frozen;
using System.Globalization;
using Google.Protobuf.Reflection;
using Surge.Plans;

namespace Surge.Grpc;

/// <summary>
/// Proto3 JSON scalars to the wire: numbers as JSON numbers or strings (int64 too), floats with "NaN" and
/// "±Infinity", bytes as standard or URL-safe base64, enums by name or number. Rendered template text is read by the
/// field's type, so "{{ count }}" fills an int32 and "{{ flag }}" a bool.
/// </summary>
internal static class ProtoScalars
{
    /// <summary>How a value was written: JSON kinds, or text a template rendered (read by the field's type).</summary>
    public enum Source
    {
        String,
        Number,
        Bool,
        Rendered,
    }

    public static Source SourceOf(ProtoJsonKind kind) => kind switch
    {
        ProtoJsonKind.Number => Source.Number,
        ProtoJsonKind.Bool => Source.Bool,
        _ => Source.String,
    };

    /// <summary>
    /// Writes one value (with its tag unless <paramref name="number"/> is 0, as inside a packed list); a default
    /// value is left out unless <paramref name="always"/>, as proto3 does for fields without presence.
    /// </summary>
    /// <returns>Why the text does not fit the type, or null when written.</returns>
    /// <param name="buffer">Where the encoded value goes.</param>
    /// <param name="type">The field's protobuf type, which decides how <paramref name="text"/> is read.</param>
    /// <param name="names">The enum's value names when <paramref name="type"/> is an enum, so that a name may stand for its number.</param>
    /// <param name="number">The field number for the tag; 0 writes no tag.</param>
    /// <param name="text">The value as written or rendered.</param>
    /// <param name="source">How the text was written: a JSON string, number or bool, or rendered by a template (then read by <paramref name="type"/>).</param>
    /// <param name="always">Write the value even when it is the type's default.</param>
    /// <param name="bitwiseDefault">Map values and wrappers: only +0 is the default (their generated codecs write -0, fields do not).</param>
    public static string? Write(WireBuffer buffer, FieldType type, EnumNames? names, int number, string text, Source source, bool always, bool bitwiseDefault = false)
    {
        switch (type)
        {
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 or FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
            {
                var (min, max) = type is FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 ? (int.MinValue, (decimal)int.MaxValue) : (long.MinValue, (decimal)long.MaxValue);
                if (Integer(text, source, min, max, out var value) is { } problem)
                {
                    return problem;
                }
                var signed = (long)value;
                if (signed == 0 && !always)
                {
                    return null;
                }
                Tag(buffer, number, type is FieldType.SFixed32 ? WireType.Fixed32 : type is FieldType.SFixed64 ? WireType.Fixed64 : WireType.Varint);
                switch (type)
                {
                    case FieldType.SInt32: buffer.WriteVarint(WireBuffer.ZigZag32((int)signed)); break;
                    case FieldType.SInt64: buffer.WriteVarint(WireBuffer.ZigZag64(signed)); break;
                    case FieldType.SFixed32: buffer.WriteFixed32((uint)(int)signed); break;
                    case FieldType.SFixed64: buffer.WriteFixed64((ulong)signed); break;
                    default: buffer.WriteVarint((ulong)signed); break;
                }
                return null;
            }
            case FieldType.UInt32 or FieldType.Fixed32 or FieldType.UInt64 or FieldType.Fixed64:
            {
                var max = type is FieldType.UInt32 or FieldType.Fixed32 ? uint.MaxValue : (decimal)ulong.MaxValue;
                if (Integer(text, source, 0, max, out var value) is { } problem)
                {
                    return problem;
                }
                var unsigned = (ulong)value;
                if (unsigned == 0 && !always)
                {
                    return null;
                }
                Tag(buffer, number, type is FieldType.Fixed32 ? WireType.Fixed32 : type is FieldType.Fixed64 ? WireType.Fixed64 : WireType.Varint);
                switch (type)
                {
                    case FieldType.Fixed32: buffer.WriteFixed32((uint)unsigned); break;
                    case FieldType.Fixed64: buffer.WriteFixed64(unsigned); break;
                    default: buffer.WriteVarint(unsigned); break;
                }
                return null;
            }
            case FieldType.Double or FieldType.Float:
            {
                if (Floating(text, source, type == FieldType.Float, out var value) is { } problem)
                {
                    return problem;
                }
                // As the generated C# types do: in a field -0 compares equal to the default and is left out too.
                if (value == 0 && !always && !(bitwiseDefault && double.IsNegative(value)))
                {
                    return null;
                }
                if (type == FieldType.Float)
                {
                    Tag(buffer, number, WireType.Fixed32);
                    buffer.WriteFixed32(BitConverter.SingleToUInt32Bits((float)value));
                }
                else
                {
                    Tag(buffer, number, WireType.Fixed64);
                    buffer.WriteFixed64(BitConverter.DoubleToUInt64Bits(value));
                }
                return null;
            }
            case FieldType.Bool:
            {
                if (source is not (Source.Bool or Source.Rendered) || text is not ("true" or "false"))
                {
                    return "needs true or false";
                }
                if (text == "false" && !always)
                {
                    return null;
                }
                Tag(buffer, number, WireType.Varint);
                buffer.WriteVarint(text == "true" ? 1UL : 0UL);
                return null;
            }
            case FieldType.String:
                if (source is not (Source.String or Source.Rendered))
                {
                    return "needs a string (quote it)";
                }
                if (text.Length == 0 && !always)
                {
                    return null;
                }
                Tag(buffer, number, WireType.LengthDelimited);
                buffer.WriteString(text);
                return null;
            case FieldType.Bytes:
            {
                if (source is not (Source.String or Source.Rendered) || Base64(text) is not { } bytes)
                {
                    return "needs base64 text (standard or URL-safe)";
                }
                if (bytes.Length == 0 && !always)
                {
                    return null;
                }
                Tag(buffer, number, WireType.LengthDelimited);
                buffer.WriteLengthDelimited(bytes);
                return null;
            }
            case FieldType.Enum:
            {
                int value;
                if (source == Source.Number || (source == Source.Rendered && text.Length > 0 && (char.IsAsciiDigit(text[0]) || text[0] == '-')))
                {
                    if (Integer(text, Source.Number, int.MinValue, int.MaxValue, out var parsed) is { } problem)
                    {
                        return problem;
                    }
                    value = (int)parsed;
                }
                else if (source is Source.String or Source.Rendered)
                {
                    if (!names!.ByName.TryGetValue(text, out value))
                    {
                        return Suggest.Unknown($"{names.FullName} value", text, names.Names);
                    }
                }
                else
                {
                    return $"needs a {names!.FullName} name or number";
                }
                if (value == 0 && !always)
                {
                    return null;
                }
                Tag(buffer, number, WireType.Varint);
                buffer.WriteVarint((ulong)(long)value);
                return null;
            }
            default:
                return $"has the unsupported type {type}";
        }
    }

    private static void Tag(WireBuffer buffer, int number, WireType type)
    {
        if (number != 0)
        {
            buffer.WriteTag(number, type);
        }
    }

    /// <summary>An integer from a JSON number or string ("12", "1e3", "-0"), checked against the type's range.</summary>
    public static string? Integer(string text, Source source, decimal min, decimal max, out decimal value)
    {
        value = 0;
        if (source == Source.Bool)
        {
            return "needs a number";
        }
        if (!decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
        {
            // A number too large for a decimal is out of range; anything else is not a number.
            return double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out _)
                ? $"is out of range ({min} to {max})"
                : "needs a whole number";
        }
        if (value != decimal.Truncate(value))
        {
            return "needs a whole number";
        }
        return value < min || value > max ? $"is out of range ({min} to {max})" : null;
    }

    public static string? Floating(string text, Source source, bool single, out double value)
    {
        value = 0;
        if (source == Source.Bool)
        {
            return "needs a number";
        }
        switch (text)
        {
            case "NaN": value = double.NaN; return source == Source.Number ? "needs a number" : null;
            case "Infinity": value = double.PositiveInfinity; return source == Source.Number ? "needs a number" : null;
            case "-Infinity": value = double.NegativeInfinity; return source == Source.Number ? "needs a number" : null;
        }
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value))
        {
            return "needs a number (or \"NaN\", \"Infinity\", \"-Infinity\")";
        }
        if (double.IsInfinity(value) || (single && Math.Abs(value) > float.MaxValue))
        {
            return $"is out of range for a {(single ? "float" : "double")}";
        }
        return null;
    }

    /// <summary>Standard or URL-safe base64, padded or not; null when the text is neither.</summary>
    public static byte[]? Base64(string text)
    {
        var normalized = text.Replace('-', '+').Replace('_', '/');
        var padding = (4 - normalized.Length % 4) % 4;
        if (padding == 3)
        {
            return null;
        }
        normalized += new string('=', padding);
        var bytes = new byte[Base64Decoded(normalized.Length)];
        return Convert.TryFromBase64String(normalized, bytes, out var written) ? bytes[..written] : null;
    }

    private static int Base64Decoded(int length) => System.Buffers.Text.Base64.GetMaxDecodedFromUtf8Length(length);
}

/// <summary>An enum's names and numbers, built once per enum for the encoder and the decoder.</summary>
internal sealed class EnumNames
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<EnumDescriptor, EnumNames> Cache = new();

    private EnumNames(EnumDescriptor descriptor)
    {
        FullName = descriptor.FullName;
        Names = [.. descriptor.Values.Select(v => v.Name)];
        ByName = descriptor.Values.DistinctBy(v => v.Name).ToFrozenDictionary(v => v.Name, v => v.Number, StringComparer.Ordinal);
        ByNumber = descriptor.Values.DistinctBy(v => v.Number).ToFrozenDictionary(v => v.Number, v => v.Name);
        DefaultName = ByNumber.TryGetValue(0, out var zero) ? zero : null;
    }

    public static EnumNames For(EnumDescriptor descriptor) => Cache.GetOrAdd(descriptor, d => new EnumNames(d));

    public string FullName { get; }

    public IReadOnlyList<string> Names { get; }

    public FrozenDictionary<string, int> ByName { get; }

    public FrozenDictionary<int, string> ByNumber { get; }

    public string? DefaultName { get; }
}
