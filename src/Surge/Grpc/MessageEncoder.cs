using Google.Protobuf.Reflection;
using Surge.Plans;
using Surge.Templating;

namespace Surge.Grpc;

/// <summary>
/// A message written in proto3 JSON (YAML or JSON text), compiled once against its descriptor into the wire bytes:
/// constant fields are encoded at compile time, templated leaves become holes rendered and encoded on every call,
/// straight into a reused buffer. Fields go out in field-number order and proto3 defaults are left out, so the bytes
/// equal what the generated C# types write. Everything that does not fit the descriptor (an unknown field, a wrong
/// type, a number out of range) is a <see cref="PlanException"/> naming the field's path and its place in the file.
/// </summary>
internal sealed class MessageEncoder
{
    [ThreadStatic]
    private static WireBuffer[]? t_scratch;

    private readonly Part[] _parts;
    private readonly byte[]? _constant;

    private MessageEncoder(Part[] parts)
    {
        _parts = parts;
        _constant = parts switch
        {
            [] => [],
            [ConstantPart only] => only.Bytes,
            _ => null,
        };
    }

    /// <summary>Whether the message has no template: its bytes are <see cref="ConstantBytes"/>, the same on every call.</summary>
    public bool IsConstant => _constant is not null;

    public ReadOnlyMemory<byte> ConstantBytes => _constant ?? throw new InvalidOperationException("the message has templates");

    /// <param name="descriptor">The message type to encode, from the compiled .proto files.</param>
    /// <param name="message">The message as the test wrote it.</param>
    /// <param name="templates">Compiles a templated leaf; null only checks the message (templates are then left unchecked).</param>
    /// <exception cref="PlanException">The message does not fit the descriptor.</exception>
    public static MessageEncoder Compile(MessageDescriptor descriptor, ProtoJsonNode message, Func<ProtoJsonNode, Template>? templates = null)
    {
        var compiler = new Compiler(templates);
        var body = new PartList();
        compiler.MessageBody(body, descriptor, message, "");
        return new MessageEncoder(body.ToArray());
    }

    /// <summary>Encodes proto3 JSON text (no templates) to the wire.</summary>
    public static byte[] Encode(MessageDescriptor descriptor, string json) =>
        Compile(descriptor, ProtoJsonNode.Parse(json)).ConstantBytes.ToArray();

    /// <summary>Renders the templates from <paramref name="variables"/> and appends the message's bytes.</summary>
    /// <exception cref="InvalidMessageException">A rendered value does not fit its field.</exception>
    public void Write(WireBuffer buffer, IVariables variables)
    {
        if (_constant is not null)
        {
            buffer.WriteBytes(_constant);
            return;
        }
        foreach (var part in _parts)
        {
            part.Write(buffer, variables, 0);
        }
    }

    private static WireBuffer Scratch(int depth)
    {
        var scratch = t_scratch ??= new WireBuffer[8];
        if (depth >= scratch.Length)
        {
            Array.Resize(ref scratch, depth * 2);
            t_scratch = scratch;
        }
        var buffer = scratch[depth] ??= new WireBuffer();
        buffer.Clear();
        return buffer;
    }

    private delegate string? ValueWriter(WireBuffer buffer, string text, int depth);

    private abstract class Part
    {
        public abstract void Write(WireBuffer buffer, IVariables variables, int depth);
    }

    private sealed class ConstantPart(byte[] bytes) : Part
    {
        public byte[] Bytes => bytes;

        public override void Write(WireBuffer buffer, IVariables variables, int depth) => buffer.WriteBytes(bytes);
    }

    private sealed class HolePart(Template template, ValueWriter writer, string path) : Part
    {
        public override void Write(WireBuffer buffer, IVariables variables, int depth)
        {
            var text = template.Render(variables);
            if (writer(buffer, text, depth) is { } problem)
            {
                throw new InvalidMessageException($"message field '{path}' {problem}, got \"{text}\" from {template.Text}");
            }
        }
    }

    // A length-delimited field (message, map entry, packed list) with holes inside: the body goes to a scratch buffer
    // of the next depth, then out behind its tag and length.
    private sealed class NestedPart(int number, Part[] body) : Part
    {
        public override void Write(WireBuffer buffer, IVariables variables, int depth)
        {
            var scratch = Scratch(depth);
            foreach (var part in body)
            {
                part.Write(scratch, variables, depth + 1);
            }
            buffer.WriteTag(number, WireType.LengthDelimited);
            buffer.WriteLengthDelimited(scratch.WrittenSpan);
        }
    }

    /// <summary>Parts in order, with neighbouring constant bytes merged into one.</summary>
    private sealed class PartList
    {
        private readonly List<Part> _parts = [];

        public WireBuffer Constant { get; } = new(64);

        public bool IsConstant => _parts.Count == 0;

        public void Add(Part part)
        {
            Flush();
            _parts.Add(part);
        }

        public void AddNested(int number, PartList body)
        {
            if (body.IsConstant)
            {
                Constant.WriteTag(number, WireType.LengthDelimited);
                Constant.WriteLengthDelimited(body.Constant.WrittenSpan);
            }
            else
            {
                Add(new NestedPart(number, body.ToArray()));
            }
        }

        public Part[] ToArray()
        {
            Flush();
            return [.. _parts];
        }

        private void Flush()
        {
            if (Constant.Length > 0)
            {
                _parts.Add(new ConstantPart(Constant.ToArray()));
                Constant.Clear();
            }
        }
    }

    private sealed class Compiler(Func<ProtoJsonNode, Template>? templates)
    {
        private const int MaxDepth = 64;
        private static readonly Template Unchecked = Template.Parse("");

        public void MessageBody(PartList body, MessageDescriptor descriptor, ProtoJsonNode node, string path)
        {
            if (path.Count(c => c == '.') > MaxDepth)
            {
                throw Error(node, path, $"is nested more than {MaxDepth} messages deep");
            }
            if (WellKnownTypes.IsSpecial(descriptor.FullName))
            {
                WellKnownBody(body, descriptor, node, path);
                return;
            }
            if (node.Kind == ProtoJsonKind.Null)
            {
                return;
            }
            if (node.Kind != ProtoJsonKind.Object)
            {
                throw Error(node, path, $"is a {descriptor.FullName} message and needs an object of its fields, got {node.Describe()}");
            }
            var fields = new List<(FieldDescriptor Field, ProtoJsonNode Value)>();
            foreach (var (key, value) in node.Properties)
            {
                var field = descriptor.FindFieldByName(key) is { } byName && !byName.IsExtension ? byName
                    : descriptor.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == key)
                    ?? throw Error(value, Join(path, key), Suggest.Unknown("field", key, [.. descriptor.Fields.InDeclarationOrder().Select(f => f.JsonName)], $" in {descriptor.FullName}"), named: false);
                if (fields.FindIndex(f => f.Field == field) >= 0)
                {
                    throw Error(value, Join(path, key), $"is given twice (as {field.Name} and {field.JsonName})");
                }
                if (field.RealContainingOneof is { } oneof && value.Kind != ProtoJsonKind.Null
                    && fields.FirstOrDefault(f => f.Field.RealContainingOneof == oneof && f.Value.Kind != ProtoJsonKind.Null).Field is { } other)
                {
                    throw Error(value, Join(path, key), $"and '{other.JsonName}' are both set, but they belong to the same oneof '{oneof.Name}'");
                }
                fields.Add((field, value));
            }
            foreach (var (field, value) in fields.OrderBy(f => f.Field.FieldNumber))
            {
                Field(body, field, value, Join(path, field.JsonName));
            }
        }

        private void Field(PartList body, FieldDescriptor field, ProtoJsonNode node, string path)
        {
            if (node.Kind == ProtoJsonKind.Null)
            {
                // null is the default value, except for google.protobuf.Value, where it is the NullValue.
                if (!field.IsRepeated && field.FieldType == FieldType.Message && field.MessageType.FullName == WellKnownTypes.Value)
                {
                    Value(body, field.FieldNumber, node, path);
                }
                return;
            }
            if (field.IsMap)
            {
                Map(body, field, node, path);
            }
            else if (field.IsRepeated)
            {
                if (node.Kind != ProtoJsonKind.Array)
                {
                    throw Error(node, path, $"is a repeated field and needs a list, got {node.Describe()}");
                }
                if (field.IsPacked && field.FieldType is not (FieldType.String or FieldType.Bytes or FieldType.Message or FieldType.Group))
                {
                    var packed = new PartList();
                    for (var i = 0; i < node.Items.Count; i++)
                    {
                        Scalar(packed, field, 0, node.Items[i], $"{path}[{i}]", always: true);
                    }
                    if (node.Items.Count > 0)
                    {
                        body.AddNested(field.FieldNumber, packed);
                    }
                    return;
                }
                for (var i = 0; i < node.Items.Count; i++)
                {
                    if (node.Items[i].Kind == ProtoJsonKind.Null && !(field.FieldType == FieldType.Message && field.MessageType.FullName == WellKnownTypes.Value))
                    {
                        throw Error(node.Items[i], $"{path}[{i}]", "is null; a list cannot hold null");
                    }
                    Single(body, field, field.FieldNumber, node.Items[i], $"{path}[{i}]", always: true);
                }
            }
            else
            {
                Single(body, field, field.FieldNumber, node, path, always: field.HasPresence);
            }
        }

        private void Single(PartList body, FieldDescriptor field, int number, ProtoJsonNode node, string path, bool always, bool bitwiseZero = false)
        {
            if (field.FieldType == FieldType.Message)
            {
                var nested = new PartList();
                if (node.IsTemplate && WellKnownTypes.IsStringShaped(field.MessageType.FullName) || (node.IsTemplate && WellKnownTypes.IsWrapper(field.MessageType.FullName)))
                {
                    body.Add(Hole(node, path, MessageHole(field.MessageType, number)));
                    return;
                }
                MessageBody(nested, field.MessageType, node, path);
                body.AddNested(number, nested);
                return;
            }
            Scalar(body, field, number, node, path, always, bitwiseZero);
        }

        // A template filling a Timestamp, Duration, FieldMask or wrapper: the rendered text is its JSON value.
        private static ValueWriter MessageHole(MessageDescriptor type, int number)
        {
            var fullName = type.FullName;
            var inner = WellKnownTypes.IsWrapper(fullName) ? type.FindFieldByNumber(1) : null;
            return (buffer, text, depth) =>
            {
                var scratch = Scratch(depth);
                var problem = inner is null
                    ? WellKnownTypes.WriteFromString(fullName, text, scratch)
                    : ProtoScalars.Write(scratch, inner.FieldType, null, 1, text, ProtoScalars.Source.Rendered, always: false, bitwiseDefault: true);
                if (problem is null)
                {
                    buffer.WriteTag(number, WireType.LengthDelimited);
                    buffer.WriteLengthDelimited(scratch.WrittenSpan);
                }
                return problem;
            };
        }

        private void Scalar(PartList body, FieldDescriptor field, int number, ProtoJsonNode node, string path, bool always, bool bitwiseZero = false)
        {
            var type = field.FieldType;
            var names = type == FieldType.Enum ? EnumNames.For(field.EnumType) : null;
            if (node.IsTemplate)
            {
                body.Add(Hole(node, path, (buffer, text, _) => ProtoScalars.Write(buffer, type, names, number, text, ProtoScalars.Source.Rendered, always, bitwiseZero)));
                return;
            }
            if (node.Kind is ProtoJsonKind.Object or ProtoJsonKind.Array or ProtoJsonKind.Null)
            {
                throw Error(node, path, $"is {Describe(field)} and needs {(type == FieldType.Enum ? "a name or number" : "a single value")}, got {node.Describe()}");
            }
            if (ProtoScalars.Write(body.Constant, type, names, number, node.Text, ProtoScalars.SourceOf(node.Kind), always, bitwiseZero) is { } problem)
            {
                throw Error(node, path, $"is {Describe(field)} and {problem}, got {node.Describe()}");
            }
        }

        private void Map(PartList body, FieldDescriptor field, ProtoJsonNode node, string path)
        {
            if (node.Kind != ProtoJsonKind.Object)
            {
                throw Error(node, path, $"is a map and needs an object, got {node.Describe()}");
            }
            var keyField = field.MessageType.FindFieldByNumber(1);
            var valueField = field.MessageType.FindFieldByNumber(2);
            foreach (var (key, value) in node.Properties)
            {
                var entryPath = $"{path}[\"{key}\"]";
                var entry = new PartList();
                var keyText = keyField.FieldType == FieldType.String ? key : key;
                var source = keyField.FieldType == FieldType.Bool ? ProtoScalars.Source.Rendered : ProtoScalars.Source.String;
                if (ProtoScalars.Write(entry.Constant, keyField.FieldType, null, 1, keyText, source, always: false) is { } problem)
                {
                    throw Error(value, entryPath, $"has a key that is {Describe(keyField)} and {problem}");
                }
                if (value.Kind == ProtoJsonKind.Null && !(valueField.FieldType == FieldType.Message && valueField.MessageType.FullName == WellKnownTypes.Value))
                {
                    throw Error(value, entryPath, "is null; a map value cannot be null");
                }
                Single(entry, valueField, 2, value, entryPath, always: valueField.FieldType == FieldType.Message, bitwiseZero: true);
                body.AddNested(field.FieldNumber, entry);
            }
        }

        private void WellKnownBody(PartList body, MessageDescriptor descriptor, ProtoJsonNode node, string path)
        {
            var fullName = descriptor.FullName;
            if (WellKnownTypes.IsStringShaped(fullName) || WellKnownTypes.IsWrapper(fullName))
            {
                if (node.IsTemplate)
                {
                    body.Add(Hole(node, path, (buffer, text, _) => WellKnownTypes.IsWrapper(fullName)
                        ? ProtoScalars.Write(buffer, descriptor.FindFieldByNumber(1).FieldType, null, 1, text, ProtoScalars.Source.Rendered, always: false, bitwiseDefault: true)
                        : WellKnownTypes.WriteFromString(fullName, text, buffer)));
                    return;
                }
                if (WellKnownTypes.IsWrapper(fullName))
                {
                    Scalar(body, descriptor.FindFieldByNumber(1), 1, node, path, always: false, bitwiseZero: true);
                    return;
                }
                if (node.Kind != ProtoJsonKind.String || WellKnownTypes.WriteFromString(fullName, node.Text, body.Constant) is { } problem)
                {
                    var needs = node.Kind != ProtoJsonKind.String ? "needs a string" : WellKnownTypes.WriteFromString(fullName, node.Text, new WireBuffer());
                    throw Error(node, path, $"is a {fullName} and {needs}, got {node.Describe()}");
                }
                return;
            }
            switch (fullName)
            {
                case WellKnownTypes.Struct:
                    if (node.Kind != ProtoJsonKind.Object)
                    {
                        throw Error(node, path, $"is a {fullName} and needs an object, got {node.Describe()}");
                    }
                    foreach (var (key, value) in node.Properties)
                    {
                        var entry = new PartList();
                        ProtoScalars.Write(entry.Constant, FieldType.String, null, 1, key, ProtoScalars.Source.String, always: false);
                        Value(entry, 2, value, $"{path}.{key}");
                        body.AddNested(1, entry);
                    }
                    return;
                case WellKnownTypes.Value:
                    ValueBody(body, node, path);
                    return;
                case WellKnownTypes.ListValue:
                    if (node.Kind != ProtoJsonKind.Array)
                    {
                        throw Error(node, path, $"is a {fullName} and needs a list, got {node.Describe()}");
                    }
                    for (var i = 0; i < node.Items.Count; i++)
                    {
                        Value(body, 1, node.Items[i], $"{path}[{i}]");
                    }
                    return;
                case WellKnownTypes.Empty:
                    if (node.Kind is not (ProtoJsonKind.Object or ProtoJsonKind.Null) || node.Properties.Count > 0)
                    {
                        throw Error(node, path, $"is a {fullName} and needs {{}}, got {node.Describe()}");
                    }
                    return;
                default:
                    throw Error(node, path, $"is a {fullName}, which gRPC steps do not write yet; send its fields in a message type of their own");
            }
        }

        private void Value(PartList body, int number, ProtoJsonNode node, string path)
        {
            var value = new PartList();
            ValueBody(value, node, path);
            body.AddNested(number, value);
        }

        // google.protobuf.Value: a oneof of null, number, string, bool, Struct and ListValue, each written even when 0.
        private void ValueBody(PartList body, ProtoJsonNode node, string path)
        {
            switch (node.Kind)
            {
                case ProtoJsonKind.Null:
                    body.Constant.WriteTag(1, WireType.Varint);
                    body.Constant.WriteVarint(0);
                    break;
                case ProtoJsonKind.Number:
                    if (ProtoScalars.Write(body.Constant, FieldType.Double, null, 2, node.Text, ProtoScalars.Source.Number, always: true) is { } problem)
                    {
                        throw Error(node, path, $"is a number and {problem}");
                    }
                    break;
                case ProtoJsonKind.String when node.IsTemplate:
                    body.Add(Hole(node, path, (buffer, text, _) => ProtoScalars.Write(buffer, FieldType.String, null, 3, text, ProtoScalars.Source.Rendered, always: true)));
                    break;
                case ProtoJsonKind.String:
                    ProtoScalars.Write(body.Constant, FieldType.String, null, 3, node.Text, ProtoScalars.Source.String, always: true);
                    break;
                case ProtoJsonKind.Bool:
                    body.Constant.WriteTag(4, WireType.Varint);
                    body.Constant.WriteVarint(node.Text == "true" ? 1UL : 0UL);
                    break;
                case ProtoJsonKind.Object:
                    var structBody = new PartList();
                    foreach (var (key, value) in node.Properties)
                    {
                        var entry = new PartList();
                        ProtoScalars.Write(entry.Constant, FieldType.String, null, 1, key, ProtoScalars.Source.String, always: false);
                        Value(entry, 2, value, $"{path}.{key}");
                        structBody.AddNested(1, entry);
                    }
                    body.AddNested(5, structBody);
                    break;
                default:
                    var list = new PartList();
                    for (var i = 0; i < node.Items.Count; i++)
                    {
                        Value(list, 1, node.Items[i], $"{path}[{i}]");
                    }
                    body.AddNested(6, list);
                    break;
            }
        }

        private HolePart Hole(ProtoJsonNode node, string path, ValueWriter writer)
        {
            // Checking only: the hole's place and type are known, its text is compiled when the steps are.
            var template = templates?.Invoke(node) ?? Unchecked;
            return new HolePart(template, writer, path.Length == 0 ? "(the message)" : path);
        }

        private static string Describe(FieldDescriptor field) => field.FieldType switch
        {
            FieldType.Enum => $"an enum {field.EnumType.FullName}",
            FieldType.Message => $"a {field.MessageType.FullName}",
            var type => $"{(type.ToString().StartsWith('I') || type.ToString().StartsWith('U') ? "an" : "a")} {type.ToString().ToLowerInvariant()}",
        };

        private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

        private static PlanException Error(ProtoJsonNode node, string path, string problem, bool named = true) =>
            new(named ? $"message field '{(path.Length == 0 ? "(the message)" : path)}' {problem}" : $"message field '{path}': {problem}", node.Location);
    }
}

/// <summary>A rendered template does not fit its field; the call is not sent and counts as failed.</summary>
internal sealed class InvalidMessageException(string message) : Exception(message)
{
    public InvalidMessageException() : this("the message does not fit its descriptor") { }

    public InvalidMessageException(string message, Exception inner) : this(message + ": " + inner.Message) { }
}
