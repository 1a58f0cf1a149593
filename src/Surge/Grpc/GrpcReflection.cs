using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Net.Client;
using Surge.Http;
using Surge.Plans;

namespace Surge.Grpc;

/// <summary>
/// Asks a server's reflection service (grpc.reflection.v1, then v1alpha) for the files that declare a service and
/// everything they import, as k6's `reflect: true` does. Before the load, on a channel of its own, so that nothing of
/// it is measured. Its messages are few and small, so they are written and read by hand.
/// </summary>
internal static class GrpcReflection
{
    private static readonly string[] Services = ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];
    private static readonly Marshaller<byte[]> Bytes = Marshallers.Create(static b => b, static b => b);

    /// <exception cref="PlanException">The server has no reflection service, does not know the service, or cannot be reached.</exception>
    public static IReadOnlyList<FileDescriptor> Descriptors(Uri address, string service, HttpOptions http, SourceLocation? at, TimeSpan timeout)
    {
        using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { SslOptions = { RemoteCertificateValidationCallback = TlsPolicy.ValidationFor(http) } },
        });
        RpcException? unimplemented = null;
        foreach (var name in Services)
        {
            try
            {
                return Ask(channel, name, service, DateTime.UtcNow + timeout, at).GetAwaiter().GetResult();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
            {
                unimplemented = e;
            }
            catch (RpcException e)
            {
                throw new PlanException($"reflect: true could not ask {address} for '{service}': {e.Status.StatusCode} {e.Status.Detail}", at);
            }
        }
        throw new PlanException($"reflect: true, but {address} has no reflection service (neither grpc.reflection.v1 nor v1alpha: {unimplemented!.Status.Detail}); " +
            "enable it on the server (e.g. services.AddGrpcReflection() and app.MapGrpcReflectionService()) or name the .proto files with proto:", at);
    }

    private static async Task<IReadOnlyList<FileDescriptor>> Ask(GrpcChannel channel, string reflection, string service, DateTime deadline, SourceLocation? at)
    {
        var method = new Method<byte[], byte[]>(MethodType.DuplexStreaming, reflection, "ServerReflectionInfo", Bytes, Bytes);
        using var call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(method, null, new CallOptions(deadline: deadline));
        var files = new Dictionary<string, ByteString>(StringComparer.Ordinal);
        var order = new List<string>();
        var pending = new Queue<(int Field, string Value)>();
        pending.Enqueue((4, service)); // file_containing_symbol
        var asked = new HashSet<string>(StringComparer.Ordinal);
        while (pending.TryDequeue(out var request))
        {
            var buffer = new WireBuffer();
            buffer.WriteTag(request.Field, WireType.LengthDelimited);
            buffer.WriteString(request.Value);
            await call.RequestStream.WriteAsync(buffer.ToArray()).ConfigureAwait(false);
            if (!await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
            {
                throw new PlanException($"reflect: true, but the server ended the reflection stream before answering for '{request.Value}'", at);
            }
            foreach (var file in Files(call.ResponseStream.Current, request.Value, at))
            {
                var proto = FileDescriptorProto.Parser.ParseFrom(file);
                if (files.TryAdd(proto.Name, file))
                {
                    order.Add(proto.Name);
                }
                foreach (var dependency in proto.Dependency)
                {
                    if (!files.ContainsKey(dependency) && asked.Add(dependency))
                    {
                        pending.Enqueue((3, dependency)); // file_by_filename
                    }
                }
            }
        }
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return FileDescriptor.BuildFromByteStrings(DependenciesFirst(files, order));
    }

    // ServerReflectionResponse: file_descriptor_response (4) holds file_descriptor_proto (1) bytes; error_response (7) a code and message.
    private static List<ByteString> Files(byte[] response, string asked, SourceLocation? at)
    {
        var files = new List<ByteString>();
        var reader = new WireReader(response);
        while (!reader.End)
        {
            var (number, type) = reader.ReadTag();
            var range = reader.Skip(type);
            var body = response.AsSpan(range.Start, range.End - range.Start);
            if (number == 4)
            {
                var inner = new WireReader(body);
                while (!inner.End)
                {
                    var (field, fieldType) = inner.ReadTag();
                    var value = inner.Skip(fieldType);
                    if (field == 1)
                    {
                        files.Add(ByteString.CopyFrom(body[value.Start..value.End]));
                    }
                }
            }
            else if (number == 7)
            {
                var inner = new WireReader(body);
                var message = "";
                while (!inner.End)
                {
                    var (field, fieldType) = inner.ReadTag();
                    var value = inner.Skip(fieldType);
                    if (field == 2)
                    {
                        message = System.Text.Encoding.UTF8.GetString(body[value.Start..value.End]);
                    }
                }
                throw new PlanException($"reflect: true, but the server's reflection does not know '{asked}': {message}", at);
            }
        }
        return files;
    }

    // BuildFromByteStrings wants every file after the files it imports.
    private static List<ByteString> DependenciesFirst(Dictionary<string, ByteString> files, List<string> order)
    {
        var sorted = new List<ByteString>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        void Visit(string name)
        {
            if (!files.TryGetValue(name, out var bytes) || !done.Add(name))
            {
                return;
            }
            foreach (var dependency in FileDescriptorProto.Parser.ParseFrom(bytes).Dependency)
            {
                Visit(dependency);
            }
            sorted.Add(bytes);
        }
        foreach (var name in order)
        {
            Visit(name);
        }
        return sorted;
    }
}
