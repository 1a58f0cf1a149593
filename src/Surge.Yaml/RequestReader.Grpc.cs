using Google.Protobuf.Reflection;
using Surge.Grpc;
using Surge.Plans;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;


/// <summary>
/// `- grpc: package.Service/Method` steps: the method is found in the step's (or options.grpc's) proto: files,
/// compiled by protoc when the test loads, and the message is checked against its descriptor there, so a message
/// that does not fit is an error at its own line and column before any load. With reflect: true the server is asked
/// when the steps are compiled, still before the load.
/// </summary>
internal sealed partial class RequestReader
{
    private static readonly string[] GrpcKeys = ["grpc", "name", "target", "tls", "proto", "reflect", "message", "metadata", "timeout", "expectedStatuses", "tags", "checks", "capture", "record"];
    private static readonly string[] GrpcOptionKeys = ["target", "tls", "proto", "reflect"];

    private readonly Dictionary<string, IReadOnlyList<FileDescriptor>> _compiled = new(StringComparer.Ordinal);
    private bool _readingGrpc;
    private YamlMap? _grpcDefaults;

    /// <summary>Reads `options.grpc`; its values are checked here and used by every grpc: step without its own.</summary>
    public void GrpcOptions(YamlNode node)
    {
        _grpcDefaults = source.Map(node, "options.grpc");
        _grpcDefaults.AllowOnly(GrpcOptionKeys);
    }

    private GrpcStep Grpc(YamlMap map, YamlNode node)
    {
        map.AllowOnly(GrpcKeys);
        var methodNode = map.Optional("grpc")!;
        var method = source.Text(methodNode, "grpc (package.Service/Method)");
        var reflectNode = Setting(map, "reflect");
        var reflect = reflectNode is not null && source.Boolean(reflectNode, "reflect");
        var protoNode = Setting(map, "proto");
        if (reflect && protoNode is not null && map.KeyNode("proto") is { } bothKey)
        {
            throw source.Error(bothKey, "a grpc step takes either proto: files or reflect: true, not both");
        }
        MethodDescriptor? descriptor = null;
        if (!reflect)
        {
            if (protoNode is null)
            {
                throw source.Error(methodNode, $"grpc step '{method}' needs its service's .proto files (proto: [service.proto], here or in options.grpc) or reflect: true to ask the server");
            }
            var files = Protos(protoNode);
            descriptor = GrpcMethods.Find(files, method, source.At(methodNode), $"the proto: files ({string.Join(", ", source.Sequence(Listed(protoNode), "proto", "[service.proto]").Select(p => source.Text(p, "proto")))})");
        }
        else if (!method.Contains('/', StringComparison.Ordinal))
        {
            throw source.Error(methodNode, $"grpc '{method}' must name package.Service/Method, e.g. cashiers.CashierService/CreateCashier");
        }
        var message = map.Optional("message") is { } messageNode ? Message(messageNode) : new ProtoJsonNode(ProtoJsonKind.Object) { Location = source.At(methodNode) };
        if (descriptor is not null)
        {
            MessageEncoder.Compile(descriptor.InputType, message); // checks every field and constant value now; templates when the steps compile
        }
        _readingGrpc = true;
        try
        {
            return new GrpcStep
            {
                Method = method,
                Target = Target(map),
                Descriptor = descriptor,
                Reflect = reflect,
                Message = message,
                Metadata = map.Optional("metadata") is { } metadata ? Metadata(metadata) : [],
                Timeout = map.Optional("timeout") is { } timeout ? source.Duration(timeout, "timeout", positive: true) : GrpcStep.DefaultTimeout,
                ExpectedStatuses = map.Optional("expectedStatuses") is { } expected ? GrpcStatuses(expected) : GrpcStep.OkOnly,
                Name = map.Optional("name") is { } name ? source.Text(name, "name") : null,
                Checks = map.Optional("checks") is { } checks ? Checks(checks) : [],
                Captures = map.Optional("capture") is { } captures ? Captures(captures) : [],
                Records = map.Optional("record") is { } records ? Records(records) : [],
                Tags = map.Optional("tags") is { } tags ? source.StringMap(tags, "tags") : new Dictionary<string, string>(),
                Location = source.At(node),
            };
        }
        finally
        {
            _readingGrpc = false;
        }
    }

    private YamlNode? Setting(YamlMap map, string key) => map.Optional(key) ?? _grpcDefaults?.Optional(key);

    private static YamlNode Listed(YamlNode node) => node is YamlSequenceNode ? node : new YamlSequenceNode(node);

    // Full paths, relative ones against the test file's folder; one protoc run per distinct list of files.
    private IReadOnlyList<FileDescriptor> Protos(YamlNode node)
    {
        var items = source.Sequence(Listed(node), "proto", "[protos/service.proto]");
        if (items.Count == 0)
        {
            throw source.Error(node, "proto: lists no file; name the service's .proto files, e.g. proto: [protos/cashiers.proto]");
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(source.FileName)) ?? "";
        var paths = items.Select(item => Path.GetFullPath(Path.Combine(folder, source.Text(item, "proto")))).ToList();
        foreach (var (path, item) in paths.Zip(items))
        {
            if (!File.Exists(path))
            {
                throw source.Error(item, $"proto file '{source.Text(item, "proto")}' does not exist (looked for {path})");
            }
        }
        var key = string.Join('\n', paths);
        if (!_compiled.TryGetValue(key, out var files))
        {
            _compiled[key] = files = Protoc.Descriptors(paths, source.At(node));
        }
        return files;
    }

    // `target: 127.0.0.1:5051` is h2c (tls: true makes it TLS); an http:// or https:// URL says it itself; none takes options.baseUrl.
    private string? Target(YamlMap map)
    {
        if (Setting(map, "target") is not { } node)
        {
            return baseUrl;
        }
        var text = source.Text(node, "target");
        var tls = Setting(map, "tls") is { } tlsNode && source.Boolean(tlsNode, "tls");
        var url = text.Contains("://", StringComparison.Ordinal) ? text : (tls ? "https://" : "http://") + text;
        return HttpOptions.TryParseHttpUrl(url, out _)
            ? url
            : throw source.Error(node, $"target '{text}' is not host:port or an http(s) URL, e.g. 127.0.0.1:5051 or https://api.example.com");
    }

    private List<KeyValuePair<string, string>> Metadata(YamlNode node) => NamedValues(node, "metadata", "metadata key", value =>
        value.AsSpan().ContainsAnyInRange('\0', '\u001f') ? "must not hold a control character (a line break, a tab)" : null);

    private StatusRanges GrpcStatuses(YamlNode node)
    {
        var ranges = new List<(int Min, int Max)>();
        foreach (var item in source.Sequence(Listed(node), "status", "[OK, NOT_FOUND]"))
        {
            var text = source.Text(item, "a gRPC status");
            var code = GrpcStatusNames.Parse(text) ?? throw source.Error(item, Suggest.Unknown("gRPC status", text, [.. GrpcStatusNames.All]) + " (or a code from 0 to 16)");
            ranges.Add((code, code));
        }
        return new StatusRanges(ranges);
    }

    /// <summary>A message as written in YAML, its leaves keeping their places; aliases are expanded within the json: limits.</summary>
    private ProtoJsonNode Message(YamlNode node)
    {
        var values = 0;
        ProtoJsonNode Convert(YamlNode current, int depth)
        {
            if (++values > YamlLimits.MaxJsonValues)
            {
                throw source.Error(node, $"message expands to more than {YamlLimits.MaxJsonValues} values (the limit); aliases (*name) repeat what they point to");
            }
            if (depth > 64)
            {
                throw source.Error(current, "message is nested more than 64 levels deep (an alias inside what it names never ends)");
            }
            return current switch
            {
                YamlMappingNode mapping => new ProtoJsonNode(ProtoJsonKind.Object)
                {
                    Location = source.At(current),
                    Properties = [.. mapping.Children.Select(entry => new KeyValuePair<string, ProtoJsonNode>(
                        entry.Key is YamlScalarNode { Value: { } key } ? key : throw source.Error(entry.Key, "message keys must be field names"),
                        Convert(entry.Value, depth + 1)))],
                },
                YamlSequenceNode sequence => new ProtoJsonNode(ProtoJsonKind.Array)
                {
                    Location = source.At(current),
                    Items = [.. sequence.Children.Select(item => Convert(item, depth + 1))],
                },
                YamlScalarNode scalar => JsonBody.Classify(scalar) is var (kind, text) ? new ProtoJsonNode(kind) { Text = text, Location = source.At(current) } : null!,
                _ => throw source.Error(current, "message cannot hold this YAML node"),
            };
        }
        return Convert(node, 0);
    }
}
