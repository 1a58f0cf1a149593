using Grpc.Core;
using Surge.Metrics;

namespace Surge.Grpc;

/// <summary>
/// What the code making gRPC calls adds to each one, read when a call starts: the tags it records under (the
/// step's scenario, persona, group and flow tags), the token that interrupts it, and default deadline and metadata.
/// The C# context is one (<see cref="VuGrpc"/>); a YAML step runner is another.
/// </summary>
internal interface IGrpcCallScope
{
    /// <summary>The tags the call's samples carry besides the gRPC ones (name, status, ...).</summary>
    TagSet Tags { get; }

    /// <summary>Stops the call when the iteration is interrupted; used when the call brings no token of its own.</summary>
    CancellationToken CancellationToken { get; }

    /// <summary>The deadline, from the call's start, of a call that names none; null for none.</summary>
    TimeSpan? Timeout { get; }

    /// <summary>Metadata sent with every call; a call's own entries with the same key win. Null or empty for none.</summary>
    Metadata? Metadata { get; }

    /// <summary>Whether a call ending with this status succeeded, for grpc_req_failed; only OK unless the scope says more.</summary>
    bool IsExpected(StatusCode status) => status == StatusCode.OK;
}
