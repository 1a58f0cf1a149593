using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Google.Protobuf.Reflection;

namespace Surge.Grpc;

/// <summary>
/// Wire bytes to proto3 JSON, from a descriptor compiled once per message type: fields in number order (as Google.Protobuf's JsonFormatter writes them),
/// lowerCamelCase names, int64 as strings, NaN and ±Infinity as strings, bytes as base64, enums by name (by number
/// when the name is unknown), and the well-known types in their JSON forms. As k6 does, fields left at their default
/// are written too (0, "", [], {}), so a JSON path finds `$.version` when it is 0; unset messages and oneofs are not.
/// </summary>
internal sealed class MessageDecoder
{
    private static readonly ConcurrentDictionary<MessageDescriptor, MessageDecoder> Cache = new();
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly MessageDescriptor _descriptor;
    private readonly string _wellKnown;
    private FieldInfo[]? _fields;
    private Dictionary<int, int>? _byNumber;

    private MessageDecoder(MessageDescriptor descriptor)
    {
        _descriptor = descriptor;
        _wellKnown = WellKnownTypes.IsSpecial(descriptor.FullName) ? descriptor.FullName : "";
    }

    public static MessageDecoder For(MessageDescriptor descriptor) => Cache.GetOrAdd(descriptor, d => new MessageDecoder(d));

    /// <summary>The message as proto3 JSON text.</summary>
    public string ToJson(ReadOnlySpan<byte> wire)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(wire, writer);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>A writer that <see cref="Write"/> can use; reset it onto each output.</summary>
    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output) => new(output, WriterOptions);

    /// <exception cref="InvalidMessageException">The bytes are not a valid message of this type.</exception>
    public void Write(ReadOnlySpan<byte> wire, Utf8JsonWriter writer)
    {
        if (_wellKnown.Length > 0)
        {
            WriteWellKnown(wire, writer);
            return;
        }
        var fields = Fields();
        // One pass over the wire notes where each field's values are; they are then written in field-number order.
        var capacity = Math.Max(4, wire.Length / 2);
        var starts = ArrayPool<int>.Shared.Rent(capacity);
        var ends = ArrayPool<int>.Shared.Rent(capacity);
        var next = ArrayPool<int>.Shared.Rent(capacity);
        var types = ArrayPool<byte>.Shared.Rent(capacity);
        var first = ArrayPool<int>.Shared.Rent(fields.Length);
        var last = ArrayPool<int>.Shared.Rent(fields.Length);
        try
        {
            first.AsSpan(0, fields.Length).Fill(-1);
            var reader = new WireReader(wire);
            var count = 0;
            while (!reader.End)
            {
                var (number, type) = reader.ReadTag();
                var value = reader.Skip(type);
                if (!_byNumber!.TryGetValue(number, out var index))
                {
                    continue;
                }
                starts[count] = value.Start;
                ends[count] = value.End;
                types[count] = (byte)type;
                next[count] = -1;
                if (first[index] < 0)
                {
                    first[index] = count;
                }
                else
                {
                    next[last[index]] = count;
                }
                last[index] = count;
                count++;
            }
            writer.WriteStartObject();
            for (var i = 0; i < fields.Length; i++)
            {
                var field = fields[i];
                if (first[i] < 0)
                {
                    if (!field.HasPresence)
                    {
                        writer.WritePropertyName(field.JsonName);
                        WriteDefault(field, writer);
                    }
                    continue;
                }
                writer.WritePropertyName(field.JsonName);
                if (field.IsMap)
                {
                    writer.WriteStartObject();
                    for (var o = first[i]; o >= 0; o = next[o])
                    {
                        WriteMapEntry(field, wire[starts[o]..ends[o]], writer);
                    }
                    writer.WriteEndObject();
                }
                else if (field.IsRepeated)
                {
                    writer.WriteStartArray();
                    for (var o = first[i]; o >= 0; o = next[o])
                    {
                        var value = wire[starts[o]..ends[o]];
                        if ((WireType)types[o] == WireType.LengthDelimited && field.IsPackable)
                        {
                            var packed = new WireReader(value);
                            while (!packed.End)
                            {
                                var item = packed.Skip(field.WireType);
                                WriteValue(field, (WireType)field.WireType, value[item.Start..item.End], writer);
                            }
                        }
                        else
                        {
                            WriteValue(field, (WireType)types[o], value, writer);
                        }
                    }
                    writer.WriteEndArray();
                }
                else
                {
                    WriteValue(field, (WireType)types[last[i]], wire[starts[last[i]]..ends[last[i]]], writer);
                }
            }
            writer.WriteEndObject();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(starts);
            ArrayPool<int>.Shared.Return(ends);
            ArrayPool<int>.Shared.Return(next);
            ArrayPool<byte>.Shared.Return(types);
            ArrayPool<int>.Shared.Return(first);
            ArrayPool<int>.Shared.Return(last);
        }
    }

    private FieldInfo[] Fields()
    {
        if (_fields is { } fields)
        {
            return fields;
        }
        fields = [.. _descriptor.Fields.InFieldNumberOrder().Select(f => new FieldInfo(f))];
        _byNumber = fields.Select((f, i) => (f.Number, i)).ToDictionary(p => p.Number, p => p.i);
        return _fields = fields;
    }

    private static void WriteMapEntry(FieldInfo field, ReadOnlySpan<byte> entry, Utf8JsonWriter writer)
    {
        ReadOnlySpan<byte> key = default, value = default;
        WireType keyType = field.Key!.WireType, valueType = field.Value!.WireType;
        bool hasKey = false, hasValue = false;
        var reader = new WireReader(entry);
        while (!reader.End)
        {
            var (number, type) = reader.ReadTag();
            var range = reader.Skip(type);
            if (number == 1)
            {
                key = entry[range.Start..range.End];
                (keyType, hasKey) = (type, true);
            }
            else if (number == 2)
            {
                value = entry[range.Start..range.End];
                (valueType, hasValue) = (type, true);
            }
        }
        if (hasKey && field.Key.Type == FieldType.String)
        {
            writer.WritePropertyName(key); // straight from the wire, no string made
        }
        else
        {
            writer.WritePropertyName(hasKey ? KeyText(field.Key, keyType, key) : field.Key.Type switch
            {
                FieldType.String => "",
                FieldType.Bool => "false",
                _ => "0",
            });
        }
        if (hasValue)
        {
            WriteValue(field.Value, valueType, value, writer);
        }
        else
        {
            WriteDefault(field.Value, writer);
        }
    }

    private static string KeyText(FieldInfo key, WireType type, ReadOnlySpan<byte> bytes) => key.Type switch
    {
        FieldType.String => Encoding.UTF8.GetString(bytes),
        FieldType.Bool => ReadVarint(bytes) != 0 ? "true" : "false",
        FieldType.UInt64 => ReadVarint(bytes).ToString(System.Globalization.CultureInfo.InvariantCulture),
        FieldType.Fixed64 => BinaryPrimitives.ReadUInt64LittleEndian(Fixed(bytes, 8)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => Integer(key.Type, type, bytes).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static void WriteDefault(FieldInfo field, Utf8JsonWriter writer)
    {
        if (field.IsMap)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }
        if (field.IsRepeated)
        {
            writer.WriteStartArray();
            writer.WriteEndArray();
            return;
        }
        switch (field.Type)
        {
            case FieldType.Bool:
                writer.WriteBooleanValue(false);
                break;
            case FieldType.String or FieldType.Bytes:
                writer.WriteStringValue("");
                break;
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64:
                writer.WriteStringValue("0");
                break;
            case FieldType.Enum:
                if (field.Enum!.DefaultName is { } name)
                {
                    writer.WriteStringValue(name);
                }
                else
                {
                    writer.WriteNumberValue(0);
                }
                break;
            case FieldType.Message:
                writer.WriteNullValue();
                break;
            default:
                writer.WriteNumberValue(0);
                break;
        }
    }

    private static void WriteValue(FieldInfo field, WireType type, ReadOnlySpan<byte> value, Utf8JsonWriter writer)
    {
        switch (field.Type)
        {
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64:
            {
                // int64 as a JSON string, formatted without allocating one.
                Span<byte> digits = stackalloc byte[20];
                System.Buffers.Text.Utf8Formatter.TryFormat(Integer(field.Type, type, value), digits, out var written);
                writer.WriteStringValue(digits[..written]);
                break;
            }
            case FieldType.UInt64 or FieldType.Fixed64:
            {
                Span<byte> digits = stackalloc byte[20];
                System.Buffers.Text.Utf8Formatter.TryFormat(type == WireType.Fixed64 ? BinaryPrimitives.ReadUInt64LittleEndian(value) : ReadVarint(value), digits, out var written);
                writer.WriteStringValue(digits[..written]);
                break;
            }
            case FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32:
                writer.WriteNumberValue((int)Integer(field.Type, type, value));
                break;
            case FieldType.UInt32 or FieldType.Fixed32:
                writer.WriteNumberValue(type == WireType.Fixed32 ? BinaryPrimitives.ReadUInt32LittleEndian(value) : (uint)ReadVarint(value));
                break;
            case FieldType.Float:
                WriteFloating(BitConverter.UInt32BitsToSingle(BinaryPrimitives.ReadUInt32LittleEndian(Fixed(value, 4))), writer);
                break;
            case FieldType.Double:
                WriteFloating(BitConverter.UInt64BitsToDouble(BinaryPrimitives.ReadUInt64LittleEndian(Fixed(value, 8))), writer);
                break;
            case FieldType.Bool:
                writer.WriteBooleanValue(ReadVarint(value) != 0);
                break;
            case FieldType.String:
                writer.WriteStringValue(value);
                break;
            case FieldType.Bytes:
                writer.WriteBase64StringValue(value);
                break;
            case FieldType.Enum:
                var number = (int)ReadVarint(value);
                if (field.Enum!.ByNumber.TryGetValue(number, out var name))
                {
                    writer.WriteStringValue(name);
                }
                else
                {
                    writer.WriteNumberValue(number);
                }
                break;
            case FieldType.Message:
                field.Message!.Write(value, writer);
                break;
            default:
                throw new InvalidMessageException($"field '{field.JsonName}' has the unsupported type {field.Type}");
        }
    }

    private static void WriteFloating(double value, Utf8JsonWriter writer)
    {
        if (double.IsNaN(value))
        {
            writer.WriteStringValue("NaN");
        }
        else if (double.IsInfinity(value))
        {
            writer.WriteStringValue(value > 0 ? "Infinity" : "-Infinity");
        }
        else if (value == 0 && double.IsNegative(value))
        {
            writer.WriteRawValue("-0"u8, skipInputValidation: true);
        }
        else
        {
            writer.WriteNumberValue(value);
        }
    }

    private static void WriteFloating(float value, Utf8JsonWriter writer)
    {
        if (float.IsFinite(value) && !(value == 0 && float.IsNegative(value)))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            WriteFloating((double)value, writer);
        }
    }

    private void WriteWellKnown(ReadOnlySpan<byte> wire, Utf8JsonWriter writer)
    {
        switch (_wellKnown)
        {
            case WellKnownTypes.Timestamp or WellKnownTypes.Duration:
                long seconds = 0;
                var nanos = 0;
                var reader = new WireReader(wire);
                while (!reader.End)
                {
                    var (number, type) = reader.ReadTag();
                    var range = reader.Skip(type);
                    if (number == 1 && type == WireType.Varint)
                    {
                        seconds = (long)ReadVarint(wire[range.Start..range.End]);
                    }
                    else if (number == 2 && type == WireType.Varint)
                    {
                        nanos = (int)ReadVarint(wire[range.Start..range.End]);
                    }
                }
                writer.WriteStringValue(_wellKnown == WellKnownTypes.Timestamp ? WellKnownTypes.FormatTimestamp(seconds, nanos) : WellKnownTypes.FormatDuration(seconds, nanos));
                return;
            case WellKnownTypes.FieldMask:
                var paths = new List<string>();
                var masks = new WireReader(wire);
                while (!masks.End)
                {
                    var (number, type) = masks.ReadTag();
                    var range = masks.Skip(type);
                    if (number == 1)
                    {
                        paths.Add(Encoding.UTF8.GetString(wire[range.Start..range.End]));
                    }
                }
                writer.WriteStringValue(WellKnownTypes.FormatFieldMask(paths));
                return;
            case WellKnownTypes.Struct:
                writer.WriteStartObject();
                var entries = new WireReader(wire);
                var structFields = Fields();
                while (!entries.End)
                {
                    var (number, type) = entries.ReadTag();
                    var range = entries.Skip(type);
                    if (number == 1)
                    {
                        WriteMapEntry(structFields[0], wire[range.Start..range.End], writer);
                    }
                }
                writer.WriteEndObject();
                return;
            case WellKnownTypes.ListValue:
                writer.WriteStartArray();
                var items = new WireReader(wire);
                var valueDecoder = For(Fields()[0].Message!._descriptor);
                while (!items.End)
                {
                    var (number, type) = items.ReadTag();
                    var range = items.Skip(type);
                    if (number == 1)
                    {
                        valueDecoder.Write(wire[range.Start..range.End], writer);
                    }
                }
                writer.WriteEndArray();
                return;
            case WellKnownTypes.Value:
                WriteValueMessage(wire, writer);
                return;
            case WellKnownTypes.Empty:
                writer.WriteStartObject();
                writer.WriteEndObject();
                return;
            case WellKnownTypes.Any:
                WriteAny(wire, writer);
                return;
            default:
                // A wrapper: its one field's value, or that field's default.
                var inner = Fields()[0];
                var wrapped = new WireReader(wire);
                var found = false;
                ReadOnlySpan<byte> valueBytes = default;
                var valueType = inner.WireType;
                while (!wrapped.End)
                {
                    var (number, type) = wrapped.ReadTag();
                    var range = wrapped.Skip(type);
                    if (number == 1)
                    {
                        valueBytes = wire[range.Start..range.End];
                        (valueType, found) = (type, true);
                    }
                }
                if (found)
                {
                    WriteValue(inner, valueType, valueBytes, writer);
                }
                else
                {
                    WriteDefault(inner, writer);
                }
                return;
        }
    }

    // google.protobuf.Value: the last member of its oneof that the wire holds.
    private void WriteValueMessage(ReadOnlySpan<byte> wire, Utf8JsonWriter writer)
    {
        var fields = Fields();
        var reader = new WireReader(wire);
        var kind = 0;
        (int Start, int End) last = default;
        while (!reader.End)
        {
            var (number, type) = reader.ReadTag();
            var range = reader.Skip(type);
            if (number is >= 1 and <= 6)
            {
                (kind, last) = (number, range);
            }
        }
        var value = wire[last.Start..last.End];
        switch (kind)
        {
            case 0 or 1:
                writer.WriteNullValue();
                break;
            case 2:
                WriteFloating(BitConverter.UInt64BitsToDouble(BinaryPrimitives.ReadUInt64LittleEndian(Fixed(value, 8))), writer);
                break;
            case 3:
                writer.WriteStringValue(value);
                break;
            case 4:
                writer.WriteBooleanValue(ReadVarint(value) != 0);
                break;
            default:
                fields[_byNumber![kind]].Message!.Write(value, writer);
                break;
        }
    }

    // Any without a registry of every type: its type URL and its bytes as base64.
    private static void WriteAny(ReadOnlySpan<byte> wire, Utf8JsonWriter writer)
    {
        var reader = new WireReader(wire);
        writer.WriteStartObject();
        while (!reader.End)
        {
            var (number, type) = reader.ReadTag();
            var range = reader.Skip(type);
            if (number == 1)
            {
                writer.WriteString("@type"u8, wire[range.Start..range.End]);
            }
            else if (number == 2)
            {
                writer.WriteBase64String("value"u8, wire[range.Start..range.End]);
            }
        }
        writer.WriteEndObject();
    }

    private static ReadOnlySpan<byte> Fixed(ReadOnlySpan<byte> value, int size) =>
        value.Length == size ? value : throw new InvalidMessageException($"a fixed-size value has {value.Length} bytes, not {size}");

    private static long Integer(FieldType type, WireType wire, ReadOnlySpan<byte> value) => type switch
    {
        FieldType.SInt32 or FieldType.SInt64 => ZigZag(ReadVarint(value)),
        FieldType.SFixed32 => wire == WireType.Fixed32 ? BinaryPrimitives.ReadInt32LittleEndian(value) : (int)ReadVarint(value),
        FieldType.SFixed64 => wire == WireType.Fixed64 ? BinaryPrimitives.ReadInt64LittleEndian(value) : (long)ReadVarint(value),
        FieldType.Fixed32 => BinaryPrimitives.ReadUInt32LittleEndian(value),
        FieldType.Int32 => (int)ReadVarint(value),
        FieldType.UInt32 => (uint)ReadVarint(value),
        _ => (long)ReadVarint(value),
    };

    private static long ZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);

    private static ulong ReadVarint(ReadOnlySpan<byte> value)
    {
        var reader = new WireReader(value);
        return reader.ReadVarint();
    }

    private sealed class FieldInfo
    {
        public FieldInfo(FieldDescriptor field)
        {
            Number = field.FieldNumber;
            JsonName = field.JsonName;
            Type = field.FieldType;
            IsMap = field.IsMap;
            IsRepeated = field.IsRepeated;
            HasPresence = field.HasPresence;
            IsPackable = IsRepeated && Type is not (FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group);
            WireType = Type switch
            {
                FieldType.Double or FieldType.Fixed64 or FieldType.SFixed64 => WireType.Fixed64,
                FieldType.Float or FieldType.Fixed32 or FieldType.SFixed32 => WireType.Fixed32,
                FieldType.String or FieldType.Bytes or FieldType.Message => WireType.LengthDelimited,
                _ => WireType.Varint,
            };
            Enum = Type == FieldType.Enum ? EnumNames.For(field.EnumType) : null;
            if (IsMap)
            {
                Key = new FieldInfo(field.MessageType.FindFieldByNumber(1));
                Value = new FieldInfo(field.MessageType.FindFieldByNumber(2));
            }
            else if (Type == FieldType.Message)
            {
                Message = For(field.MessageType);
            }
        }

        public int Number { get; }

        public string JsonName { get; }

        public FieldType Type { get; }

        public bool IsMap { get; }

        public bool IsRepeated { get; }

        public bool HasPresence { get; }

        public bool IsPackable { get; }

        public WireType WireType { get; }

        public EnumNames? Enum { get; }

        public FieldInfo? Key { get; }

        public FieldInfo? Value { get; }

        public MessageDecoder? Message { get; }
    }
}

/// <summary>Reads the protobuf wire format from a span; a truncated or malformed message throws <see cref="InvalidMessageException"/>.</summary>
internal ref struct WireReader(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;

    public int Position { get; private set; }

    public readonly bool End => Position >= _bytes.Length;

    public (int Number, WireType Type) ReadTag()
    {
        var tag = ReadVarint();
        var number = tag >> 3;
        if (number is 0 or > 536_870_911)
        {
            throw new InvalidMessageException($"the message has an invalid field number {number}");
        }
        return ((int)number, (WireType)(tag & 7));
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (Position >= _bytes.Length)
            {
                throw new InvalidMessageException("the message ends inside a number");
            }
            var b = _bytes[Position++];
            value |= (ulong)(b & 0x7f) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
        throw new InvalidMessageException("the message has a number longer than 10 bytes");
    }

    /// <summary>Moves past one value of <paramref name="type"/>, returning where its payload lies.</summary>
    public (int Start, int End) Skip(WireType type)
    {
        var start = Position;
        switch (type)
        {
            case WireType.Varint:
                ReadVarint();
                return (start, Position);
            case WireType.Fixed64:
                return Advance(start, 8);
            case WireType.Fixed32:
                return Advance(start, 4);
            case WireType.LengthDelimited:
                var length = ReadVarint();
                if (length > (ulong)(_bytes.Length - Position))
                {
                    throw new InvalidMessageException("the message ends inside a length-delimited field");
                }
                var payload = Position;
                Position += (int)length;
                return (payload, Position);
            default:
                throw new InvalidMessageException($"the message has the unsupported wire type {(int)type}");
        }
    }

    private (int Start, int End) Advance(int start, int size)
    {
        if (_bytes.Length - Position < size)
        {
            throw new InvalidMessageException("the message ends inside a fixed-size field");
        }
        Position += size;
        return (start, Position);
    }
}
