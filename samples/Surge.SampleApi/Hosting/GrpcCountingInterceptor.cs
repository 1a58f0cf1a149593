using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Surge.SampleApi.Hosting;

/// <summary>
/// Counts every gRPC call by method and final status, and every stream message, into <see cref="GrpcStats"/>. A call is
/// counted when its handler ends, before the framework writes the status, so a client that has its answer finds it
/// counted; a message sent is counted before it is written, for the same reason.
/// </summary>
internal sealed class GrpcCountingInterceptor(GrpcStats stats) : Interceptor
{
    private static readonly object ResetKey = new();

    /// <summary>Marks the call as reset by the server, so it is counted as <see cref="GrpcStats.StreamReset"/>.</summary>
    public static void MarkReset(ServerCallContext context) => context.UserState[ResetKey] = true;

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        CountAsync(context, () => continuation(request, context));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        stats.RecordStream();
        return CountAsync(context, () => continuation(new CountingReader<TRequest>(requestStream, stats), context));
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        stats.RecordStream();
        return CountAsync(context, async () =>
        {
            await continuation(request, new CountingWriter<TResponse>(responseStream, stats), context);
            return true;
        });
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        stats.RecordStream();
        return CountAsync(context, async () =>
        {
            await continuation(new CountingReader<TRequest>(requestStream, stats), new CountingWriter<TResponse>(responseStream, stats), context);
            return true;
        });
    }

    // What is read from the context is read before the call: once the framework has answered (a deadline passed),
    // the context's HTTP request may already be recycled.
    private async Task<T> CountAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var method = context.Method;
        var deadline = context.Deadline;
        var state = context.UserState;
        var status = GrpcStats.NameOf(StatusCode.Unknown);
        try
        {
            var result = await call();
            status = GrpcStats.NameOf(context.Status.StatusCode);
            return result;
        }
        catch (RpcException e)
        {
            status = GrpcStats.NameOf(e.StatusCode);
            throw;
        }
        catch (OperationCanceledException)
        {
            // DEADLINE_EXCEEDED when the server's own deadline timer ended the call; CANCELLED when the caller reset the
            // stream first, which a client whose deadline passed does a moment before the server's timer fires.
            status = GrpcStats.NameOf(deadline <= DateTime.UtcNow ? StatusCode.DeadlineExceeded : StatusCode.Cancelled);
            throw;
        }
        finally
        {
            stats.RecordCall(method, state.ContainsKey(ResetKey) ? GrpcStats.StreamReset : status);
        }
    }

    private sealed class CountingReader<T>(IAsyncStreamReader<T> inner, GrpcStats stats) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var moved = await inner.MoveNext(cancellationToken);
            if (moved)
            {
                stats.RecordReceived();
            }

            return moved;
        }
    }

    private sealed class CountingWriter<T>(IServerStreamWriter<T> inner, GrpcStats stats) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions
        {
            get => inner.WriteOptions;
            set => inner.WriteOptions = value;
        }

        public Task WriteAsync(T message)
        {
            stats.RecordSent();
            return inner.WriteAsync(message);
        }

        public Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            stats.RecordSent();
            return inner.WriteAsync(message, cancellationToken);
        }
    }
}
