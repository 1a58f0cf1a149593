using Grpc.Core;
using Surge.Engine;

namespace Surge.Grpc;

/// <summary>
/// One stream's metrics: grpc_streams when it opens, a message counted as it is written or read, and its
/// grpc_req_duration once its status is known (the response stream ended, a read or write failed, or the caller
/// disposed it first: CANCELLED, as the server sees it). Recorded once, whichever comes first.
/// </summary>
internal sealed class StreamRecording
{
    private readonly RecordingCallInvoker _invoker;
    private readonly GrpcMethodMetrics _metrics;
    private readonly CancellationToken _cancellationToken;
    private readonly long _started;
    private Func<Status>? _status;
    private Action? _dispose;
    private int _completed;

    public StreamRecording(RecordingCallInvoker invoker, GrpcMethodMetrics metrics, CancellationToken cancellationToken)
    {
        _invoker = invoker;
        _metrics = metrics;
        _cancellationToken = cancellationToken;
        _started = MonotonicClock.Now;
        invoker.Count(metrics.Streams);
    }

    /// <summary>The underlying call, for its trailers.</summary>
    public object? Call { get; private set; }

    public void Attach(Func<Status> status, Action dispose)
    {
        _status = status;
        _dispose = dispose;
    }

    public StreamRecording WithCall(object call)
    {
        Call = call;
        return this;
    }

    public Status Status() => _status!();

    public void Sent() => _invoker.Count(_metrics.MessagesSent);

    public void Received() => _invoker.Count(_metrics.MessagesReceived);

    /// <summary>The response stream ended cleanly: the status the server sent is there.</summary>
    public void Ended()
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _invoker.Complete(_metrics, _started, _status!().StatusCode, null);
        }
    }

    /// <summary>Records the failure (once); returns what to throw.</summary>
    public Exception Failed(RpcException exception)
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            return _invoker.Failed(_metrics, _started, exception, _cancellationToken);
        }
        return exception.StatusCode == StatusCode.Cancelled && _cancellationToken.IsCancellationRequested
            ? new OperationCanceledException("the run ended while the gRPC stream was open", exception, _cancellationToken)
            : exception;
    }

    /// <summary>A client-streaming call's single response, a message received like any other: its arrival ends the stream.</summary>
    public async Task<TResponse> ResponseAsync<TResponse>(Task<TResponse> response)
    {
        try
        {
            var result = await response.ConfigureAwait(false);
            Received();
            Ended();
            return result;
        }
        catch (RpcException e)
        {
            throw Failed(e);
        }
    }

    public void Dispose()
    {
        _dispose!();
        if (Interlocked.Exchange(ref _completed, 1) == 0)
        {
            _invoker.Complete(_metrics, _started, StatusCode.Cancelled, null);
        }
    }
}

/// <summary>A stream's responses, each counted in grpc_streams_msgs_received.</summary>
internal sealed class RecordingReader<T>(IAsyncStreamReader<T> inner, StreamRecording stream) : IAsyncStreamReader<T>
{
    public T Current => inner.Current;

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        bool more;
        try
        {
            more = await inner.MoveNext(cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw stream.Failed(e);
        }
        if (more)
        {
            stream.Received();
        }
        else
        {
            stream.Ended();
        }
        return more;
    }
}

/// <summary>A stream's requests, each counted in grpc_streams_msgs_sent once written.</summary>
internal sealed class RecordingWriter<T>(IClientStreamWriter<T> inner, StreamRecording stream) : IClientStreamWriter<T>
{
    public WriteOptions? WriteOptions
    {
        get => inner.WriteOptions;
        set => inner.WriteOptions = value;
    }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        try
        {
            await inner.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw stream.Failed(e);
        }
        stream.Sent();
    }

    public async Task CompleteAsync()
    {
        try
        {
            await inner.CompleteAsync().ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw stream.Failed(e);
        }
    }
}
