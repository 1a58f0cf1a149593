using Grpc.Core;
using Microsoft.AspNetCore.Http.Features;
using Surge.SampleApi.Grpc.Chaos;
using Surge.SampleApi.Hosting;

namespace Surge.SampleApi.Services;

/// <summary>Misbehaviour on demand (see chaos.proto): any status, a slow answer, a reset stream, an echo stream.</summary>
internal sealed class ChaosGrpcService : ChaosService.ChaosServiceBase
{
    private const int MaxSleepMs = 300_000;

    // HTTP/2's INTERNAL_ERROR: what a server that broke mid-call would send.
    private const int Http2InternalError = 0x2;

    public override Task<EchoMessage> Echo(EchoMessage request, ServerCallContext context) => Task.FromResult(request);

    /// <summary>Code 0 answers OK with the message as text; 1-16 fail with that status and message.</summary>
    public override Task<EchoMessage> Fail(FailRequest request, ServerCallContext context) => request.Code switch
    {
        0 => Task.FromResult(new EchoMessage { Text = request.Message }),
        > 0 and <= 16 => throw new RpcException(new Status((StatusCode)request.Code, request.Message)),
        _ => throw new RpcException(new Status(StatusCode.InvalidArgument, $"code must be a gRPC status code from 0 to 16, not {request.Code}")),
    };

    public override async Task<EchoMessage> Sleep(SleepRequest request, ServerCallContext context)
    {
        if (request.Milliseconds is < 0 or > MaxSleepMs)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"milliseconds must be between 0 and {MaxSleepMs}"));
        }

        await Task.Delay(request.Milliseconds, context.CancellationToken);
        return new EchoMessage { Text = FormattableString.Invariant($"slept {request.Milliseconds} ms") };
    }

    /// <summary>Resets the HTTP/2 stream (RST_STREAM, INTERNAL_ERROR) after reading the request: no gRPC status reaches the caller.</summary>
    public override Task<EchoMessage> Reset(EchoMessage request, ServerCallContext context)
    {
        var http = context.GetHttpContext();
        GrpcCountingInterceptor.MarkReset(context);
        if (http.Features.Get<IHttpResetFeature>() is { } reset)
        {
            reset.Reset(Http2InternalError);
        }
        else
        {
            http.Abort();
        }

        return Task.FromResult(request);
    }

    public override async Task EchoStream(IAsyncStreamReader<EchoMessage> requestStream, IServerStreamWriter<EchoMessage> responseStream, ServerCallContext context)
    {
        await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
        {
            await responseStream.WriteAsync(message, context.CancellationToken);
        }
    }
}
