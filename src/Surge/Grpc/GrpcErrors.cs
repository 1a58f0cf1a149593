using System.Net.Http;
using Grpc.Core;
using Surge.Http;

namespace Surge.Grpc;

/// <summary>
/// Names a call that ended without a status from the server: the `error_code` tag beside its `status` (the status
/// Grpc.Net.Client gave it, usually UNAVAILABLE or INTERNAL). A status the server sent has no error code.
/// </summary>
internal static class GrpcErrors
{
    /// <summary>The server reset the call's HTTP/2 stream (RST_STREAM) or closed the connection with an HTTP/2 error (GOAWAY).</summary>
    public const string StreamReset = "stream_reset";

    /// <summary>Every error code a gRPC call can be tagged with: <see cref="StreamReset"/>, then HTTP's network errors.</summary>
    public static readonly IReadOnlyList<string> All = [StreamReset, .. NetworkError.All];

    /// <summary>
    /// The error code of a failed call, or null when the server itself answered with the status.
    /// <paramref name="interrupted"/> says whether the caller's own cancellation (the run ending) stopped it.
    /// </summary>
    public static string? Classify(RpcException exception, bool interrupted)
    {
        if (interrupted && exception.StatusCode == StatusCode.Cancelled)
        {
            return NetworkError.Interrupted;
        }
        if (exception.Status.DebugException is not { } cause)
        {
            return null;
        }
        for (var inner = cause; inner is not null; inner = inner.InnerException)
        {
            if (inner is HttpProtocolException)
            {
                return StreamReset;
            }
        }
        return cause is OperationCanceledException ? null : NetworkError.Classify(cause);
    }

    internal static int IndexOf(string error)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == error)
            {
                return i;
            }
        }
        return All.Count - 1;
    }
}
