using System.Collections.Concurrent;
using System.Globalization;
using Grpc.Core;
using Surge.Metrics;

namespace Surge.Grpc;

/// <summary>
/// The gRPC series of one method under one set of step tags. The series of each status (and error code) are
/// resolved once and kept in an array indexed by status, so recording a call takes no lookup and no allocation.
/// One instance per method and tag set for the whole run (<see cref="For(MetricRegistry, TagSet, IMethod)"/>).
/// </summary>
internal sealed class GrpcMethodMetrics
{
    private const int StatusCodes = 17;

    private readonly TagSet _tags;
    private readonly MetricRegistry _registry;
    private readonly Series?[] _series = new Series?[StatusCodes * (1 + GrpcErrors.All.Count)];

    private GrpcMethodMetrics(TagSet stepTags, IMethod method, MetricRegistry registry)
    {
        _tags = Tags(stepTags, method);
        _registry = registry;
        if (method.Type != MethodType.Unary)
        {
            Streams = registry.GetSeries(BuiltinMetrics.GrpcStreams, _tags);
            MessagesSent = registry.GetSeries(BuiltinMetrics.GrpcStreamsMsgsSent, _tags);
            MessagesReceived = registry.GetSeries(BuiltinMetrics.GrpcStreamsMsgsReceived, _tags);
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MetricRegistry, ConcurrentDictionary<(TagSet, string, MethodType), GrpcMethodMetrics>> Runs = [];

    /// <summary>
    /// The run's metrics for <paramref name="method"/> under <paramref name="stepTags"/>. Past the registry's series
    /// limit new tag sets share the overflow entry, as the registry folds their series anyway.
    /// </summary>
    public static GrpcMethodMetrics For(MetricRegistry registry, TagSet stepTags, IMethod method)
    {
        var methods = Runs.GetValue(registry, static _ => new());
        var key = (stepTags, method.FullName, method.Type);
        if (methods.TryGetValue(key, out var metrics))
        {
            return metrics;
        }
        if (methods.Count >= registry.MaxSeriesPerMetric)
        {
            key = (MetricRegistry.OverflowTags, "", method.Type);
        }
        return methods.GetOrAdd(key, k => new GrpcMethodMetrics(k.Item1, method, registry));
    }

    public int Streams { get; }

    public int MessagesSent { get; }

    public int MessagesReceived { get; }

    /// <summary>
    /// k6's gRPC tags on top of the step's: `name` (package.Service/Method), `service`, `method` and `rpc_type`
    /// (unary, client_streaming, server_streaming, bidi_streaming).
    /// </summary>
    public static TagSet Tags(TagSet stepTags, IMethod method) => stepTags.With(
    [
        new("name", method.FullName.TrimStart('/')),
        new("service", method.ServiceName),
        new("method", method.Name),
        new("rpc_type", method.Type switch
        {
            MethodType.Unary => "unary",
            MethodType.ClientStreaming => "client_streaming",
            MethodType.ServerStreaming => "server_streaming",
            _ => "bidi_streaming",
        }),
    ]);

    public Series For(StatusCode status, string? error)
    {
        var code = (int)status is >= 0 and < StatusCodes ? (int)status : (int)StatusCode.Unknown;
        var slot = error is null ? code : (StatusCodes * (1 + GrpcErrors.IndexOf(error))) + code;
        return _series[slot] ?? Interlocked.CompareExchange(ref _series[slot], Create(code, error), null) ?? _series[slot]!;
    }

    private Series Create(int status, string? error)
    {
        // k6 tags the status as its number: grpc_req_duration{status:0}, {status:4} for DEADLINE_EXCEEDED.
        var tags = _tags.With("status", status.ToString(CultureInfo.InvariantCulture));
        if (error is not null)
        {
            tags = tags.With("error_code", error);
        }
        int For(MetricDefinition metric) => _registry.GetSeries(metric, tags);
        return new Series(For(BuiltinMetrics.GrpcReqDuration), For(BuiltinMetrics.GrpcReqFailed), For(BuiltinMetrics.DataSent), For(BuiltinMetrics.DataReceived));
    }

    internal sealed record Series(int Duration, int Failed, int DataSent, int DataReceived);
}
