using Grpc.Core;
using Surge.Engine;
using Surge.Grpc;
using Surge.Metrics;

namespace Surge;

/// <summary>
/// The gRPC side of a C# step: typed clients (generated from .proto files) on the VU's channel to a target, whose
/// calls record k6's gRPC metrics by themselves (grpc_req_duration tagged with name = package.Service/Method and the
/// numeric status, grpc_req_failed, and grpc_streams with its message counters), the step's group and flow tags
/// included. Every VU has its own HTTP/2 connection per target unless the test shares connections.
/// A call that does not end OK throws <see cref="RpcException"/> (as Grpc.Net.Client does), after it was recorded.
/// </summary>
public sealed class VuGrpc : IGrpcCallScope
{
    private readonly VirtualUser _vu;
    private readonly VuContext _context;
    private readonly Dictionary<string, RecordingCallInvoker> _invokers = new(StringComparer.Ordinal);
    private readonly Dictionary<(Type, CallInvoker), object> _clients = [];

    internal VuGrpc(VirtualUser vu, VuContext context)
    {
        _vu = vu;
        _context = context;
    }

    /// <summary>The deadline of calls that set none: 60 s unless set, k6's default; null leaves such calls without one.</summary>
    public TimeSpan? Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Metadata sent with every call of this VU, e.g. authorization after a login; a call's own entries with the same key win.</summary>
    public Metadata DefaultMetadata { get; } = [];

    /// <summary>
    /// A typed client (e.g. <c>CashierService.CashierServiceClient</c>) on this VU's channel to
    /// <paramref name="target"/>: http://host:port for h2c, https://host:port for TLS, or null for the test's base URL.
    /// The same client comes back for the same target, so asking for it in every iteration costs nothing.
    /// </summary>
    public T Client<T>(string? target = null) where T : ClientBase<T>
    {
        var invoker = Invoker(target);
        if (!_clients.TryGetValue((typeof(T), invoker), out var client))
        {
            client = Activator.CreateInstance(typeof(T), invoker)
                ?? throw new InvalidOperationException($"{typeof(T).Name} has no constructor taking a CallInvoker");
            _clients[(typeof(T), invoker)] = client;
        }
        return (T)client;
    }

    /// <summary>
    /// The recording invoker for <paramref name="target"/>, for calls made with hand-made
    /// <see cref="Method{TRequest, TResponse}"/>s; typed clients use it underneath.
    /// </summary>
    public CallInvoker Invoker(string? target = null)
    {
        var key = target ?? "";
        if (!_invokers.TryGetValue(key, out var invoker))
        {
            invoker = GrpcCalls.Invoker(_vu, GrpcTarget.Resolve(target, _vu.Scenario.Engine.Http), this);
            _invokers[key] = invoker;
        }
        return invoker;
    }

    TagSet IGrpcCallScope.Tags => _context.Tags;

    CancellationToken IGrpcCallScope.CancellationToken => _context.CancellationToken;

    Metadata? IGrpcCallScope.Metadata => DefaultMetadata;
}
