using Grpc.Core;
using Surge.SampleApi.Domain;

namespace Surge.SampleApi.Services;

internal static class GrpcOutcome
{
    /// <summary>The value, or the RpcException that carries the domain's refusal as its gRPC status.</summary>
    public static T Unwrap<T>(this Outcome<T> outcome)
        where T : class =>
        outcome.Error is { } error
            ? throw new RpcException(new Status(Code(error.Kind), error.Message))
            : outcome.Value!;

    private static StatusCode Code(Failure failure) => failure switch
    {
        Failure.NotFound => StatusCode.NotFound,
        Failure.Conflict => StatusCode.Aborted,
        Failure.FailedPrecondition => StatusCode.FailedPrecondition,
        _ => StatusCode.InvalidArgument,
    };
}
