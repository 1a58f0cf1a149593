using Grpc.Core;
using Surge.Engine;
using Surge.Http;
using Surge.Http.Http2;
using Surge.Metrics;

namespace Surge.Grpc;

/// <summary>
/// The CallInvoker of a VU's channel that records k6's gRPC metrics for every call made through it, by typed clients
/// or with hand-made <see cref="Method{TRequest, TResponse}"/>s alike: grpc_req_duration and grpc_req_failed when the
/// call's status is known (tagged name, status and, for a broken connection or reset stream, error_code), the
/// connection's bytes as data_sent / data_received, and for streams grpc_streams, grpc_streams_msgs_sent and
/// grpc_streams_msgs_received. A call the run's end interrupts is recorded with error_code `interrupted` and ends in
/// an <see cref="OperationCanceledException"/>; every other failure reaches the caller as Grpc.Net.Client's
/// <see cref="RpcException"/>, after it was recorded.
/// </summary>
internal sealed class RecordingCallInvoker : CallInvoker
{
    private readonly CallInvoker _inner;
    private readonly WireCounter _bytes;
    private readonly MetricsRecorder _recorder;
    private readonly IGrpcCallScope _scope;
    private LastMethod? _last;

    internal RecordingCallInvoker(GrpcConnection connection, MetricsRecorder recorder, IGrpcCallScope scope)
    {
        _inner = connection.Channel.CreateCallInvoker();
        _bytes = connection.Bytes;
        _recorder = recorder;
        _scope = scope;
        Address = connection.Address;
    }

    /// <summary>The target this invoker calls.</summary>
    public Uri Address { get; }

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var metrics = MetricsFor(method);
        options = Prepare(options);
        var started = MonotonicClock.Now;
        try
        {
            var response = _inner.BlockingUnaryCall(method, host, options, request);
            Complete(metrics, started, StatusCode.OK, null);
            return response;
        }
        catch (RpcException e)
        {
            throw Failed(metrics, started, e, options.CancellationToken);
        }
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        var metrics = MetricsFor(method);
        options = Prepare(options);
        var started = MonotonicClock.Now;
        var call = _inner.AsyncUnaryCall(method, host, options, request);
        return new AsyncUnaryCall<TResponse>(
            RecordAsync(call.ResponseAsync, metrics, started, options.CancellationToken),
            static state => ((AsyncUnaryCall<TResponse>)state).ResponseHeadersAsync,
            static state => ((AsyncUnaryCall<TResponse>)state).GetStatus(),
            static state => ((AsyncUnaryCall<TResponse>)state).GetTrailers(),
            static state => ((AsyncUnaryCall<TResponse>)state).Dispose(),
            call);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        options = Prepare(options);
        var stream = new StreamRecording(this, MetricsFor(method), options.CancellationToken);
        var call = _inner.AsyncServerStreamingCall(method, host, options, request);
        stream.Attach(call.GetStatus, call.Dispose);
        stream.Sent();
        return new AsyncServerStreamingCall<TResponse>(
            new RecordingReader<TResponse>(call.ResponseStream, stream),
            static state => ((AsyncServerStreamingCall<TResponse>)((StreamRecording)state).Call!).ResponseHeadersAsync,
            static state => ((StreamRecording)state).Status(),
            static state => ((AsyncServerStreamingCall<TResponse>)((StreamRecording)state).Call!).GetTrailers(),
            static state => ((StreamRecording)state).Dispose(),
            stream.WithCall(call));
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        options = Prepare(options);
        var stream = new StreamRecording(this, MetricsFor(method), options.CancellationToken);
        var call = _inner.AsyncClientStreamingCall(method, host, options);
        stream.Attach(call.GetStatus, call.Dispose);
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            new RecordingWriter<TRequest>(call.RequestStream, stream),
            stream.ResponseAsync(call.ResponseAsync),
            static state => ((AsyncClientStreamingCall<TRequest, TResponse>)((StreamRecording)state).Call!).ResponseHeadersAsync,
            static state => ((StreamRecording)state).Status(),
            static state => ((AsyncClientStreamingCall<TRequest, TResponse>)((StreamRecording)state).Call!).GetTrailers(),
            static state => ((StreamRecording)state).Dispose(),
            stream.WithCall(call));
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        options = Prepare(options);
        var stream = new StreamRecording(this, MetricsFor(method), options.CancellationToken);
        var call = _inner.AsyncDuplexStreamingCall(method, host, options);
        stream.Attach(call.GetStatus, call.Dispose);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            new RecordingWriter<TRequest>(call.RequestStream, stream),
            new RecordingReader<TResponse>(call.ResponseStream, stream),
            static state => ((AsyncDuplexStreamingCall<TRequest, TResponse>)((StreamRecording)state).Call!).ResponseHeadersAsync,
            static state => ((StreamRecording)state).Status(),
            static state => ((AsyncDuplexStreamingCall<TRequest, TResponse>)((StreamRecording)state).Call!).GetTrailers(),
            static state => ((StreamRecording)state).Dispose(),
            stream.WithCall(call));
    }

    private async Task<TResponse> RecordAsync<TResponse>(Task<TResponse> response, GrpcMethodMetrics metrics, long started, CancellationToken cancellationToken)
    {
        try
        {
            var result = await response.ConfigureAwait(false);
            Complete(metrics, started, StatusCode.OK, null);
            return result;
        }
        catch (RpcException e)
        {
            throw Failed(metrics, started, e, cancellationToken);
        }
    }

    /// <summary>Records the failed call; what the caller gets: the RpcException, or an OperationCanceledException when the run interrupted it.</summary>
    internal Exception Failed(GrpcMethodMetrics metrics, long started, RpcException exception, CancellationToken cancellationToken)
    {
        var error = GrpcErrors.Classify(exception, cancellationToken.IsCancellationRequested);
        Complete(metrics, started, exception.StatusCode, error);
        return error == NetworkError.Interrupted
            ? new OperationCanceledException("the run ended while the gRPC call was in flight", exception, cancellationToken)
            : exception;
    }

    internal void Complete(GrpcMethodMetrics metrics, long started, StatusCode status, string? error)
    {
        var elapsed = MonotonicClock.Now - started;
        var series = metrics.For(status, error);
        var (sent, received) = _bytes.Claim();
        using var writer = _recorder.BeginWrite();
        writer.AddTrendFixed(series.Duration, MonotonicClock.ToMicroseconds(elapsed));
        writer.AddRate(series.Failed, !_scope.IsExpected(status));
        writer.AddCounter(series.DataSent, sent);
        writer.AddCounter(series.DataReceived, received);
    }

    internal void Count(int series, int messages = 1)
    {
        using var writer = _recorder.BeginWrite();
        writer.AddCounter(series, messages);
    }

    private CallOptions Prepare(CallOptions options)
    {
        if (options.Deadline is null && _scope.Timeout is { } timeout)
        {
            options = options.WithDeadline(DateTime.UtcNow + timeout);
        }
        if (!options.CancellationToken.CanBeCanceled)
        {
            options = options.WithCancellationToken(_scope.CancellationToken);
        }
        if (_scope.Metadata is { Count: > 0 } defaults)
        {
            options = options.WithHeaders(WithDefaults(options.Headers, defaults));
        }
        return options;
    }

    private static Metadata WithDefaults(Metadata? own, Metadata defaults)
    {
        if (own is null || own.Count == 0)
        {
            return defaults;
        }
        var merged = new Metadata();
        foreach (var entry in own)
        {
            merged.Add(entry);
        }
        foreach (var entry in defaults)
        {
            if (own.Get(entry.Key) is null)
            {
                merged.Add(entry);
            }
        }
        return merged;
    }

    // The method and step tags of the last call, checked first: a VU calls the same few methods from the same step.
    private GrpcMethodMetrics MetricsFor(IMethod method)
    {
        var tags = _scope.Tags;
        var last = Volatile.Read(ref _last);
        if (last is not null && ReferenceEquals(last.Method, method) && ReferenceEquals(last.Tags, tags))
        {
            return last.Metrics;
        }
        var metrics = GrpcMethodMetrics.For(_recorder.Registry, tags, method);
        Volatile.Write(ref _last, new LastMethod(method, tags, metrics));
        return metrics;
    }

    private sealed record LastMethod(IMethod Method, TagSet Tags, GrpcMethodMetrics Metrics);
}
