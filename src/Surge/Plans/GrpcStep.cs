using Google.Protobuf.Reflection;
using Surge.Grpc;

namespace Surge.Plans;

/// <summary>
/// A unary gRPC call, k6's client.invoke: <see cref="Method"/> (`package.Service/Method`) on <see cref="Target"/>,
/// with <see cref="Message"/> as templated proto3 JSON. The method's descriptor comes from the test's .proto files,
/// compiled when the test loads, or with <see cref="Reflect"/> from the server's reflection service before the load.
/// Checks read the status (<see cref="CheckKind.Status"/> with gRPC codes 0-16) and the response as proto3 JSON.
/// </summary>
public sealed record GrpcStep : Step
{
    /// <summary>k6's default deadline for a call.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// `package.Service/Method`: the method called, and the `name` tag of the call's grpc_req_* samples whatever
    /// <see cref="Name"/> says.
    /// </summary>
    public required string Method { get; init; }

    /// <summary>An http:// (h2c) or https:// (TLS) URL; null takes the test's base URL.</summary>
    public string? Target { get; init; }

    /// <summary>The method as the .proto files describe it; null when <see cref="Reflect"/> asks the server.</summary>
    public MethodDescriptor? Descriptor { get; init; }

    /// <summary>
    /// k6's reflect: when <see cref="Descriptor"/> is null, ask the server's reflection service (grpc.reflection.v1,
    /// then v1alpha) for the method, once per target and service, before the load starts.
    /// </summary>
    public bool Reflect { get; init; }

    /// <summary>
    /// The request message as proto3 JSON, read against the method's input type; quoted values may hold `{{ }}`
    /// templates, read by the type of the field they fill. An empty object (every field at its default) by default.
    /// </summary>
    public ProtoJsonNode Message { get; init; } = new(ProtoJsonKind.Object);

    /// <summary>Metadata sent with the call; values may hold `{{ }}` templates.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>
    /// The call's deadline, after which it ends with DEADLINE_EXCEEDED (k6's timeout); also bounds the reflection
    /// request. <see cref="DefaultTimeout"/> (60s) by default.
    /// </summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Only OK, as gRPC itself counts success.</summary>
    public static readonly StatusRanges OkOnly = new([(0, 0)]);

    /// <summary>Statuses (codes 0-16) that do not count as failed in `grpc_req_failed`, like a request's expectedStatuses.</summary>
    public StatusRanges ExpectedStatuses { get; init; } = OkOnly;

    /// <summary>
    /// The `name` tag of the step's checks and records, and the step's name in messages; null uses
    /// <see cref="Method"/>. The call's own samples are always named by the method, as in k6.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>Checks on the call: <see cref="CheckKind.Status"/> reads the gRPC code, the others the response as proto3 JSON.</summary>
    public IReadOnlyList<CheckPlan> Checks { get; init; } = [];

    /// <summary>Values taken from the response (as proto3 JSON, defaults included) into VU variables.</summary>
    public IReadOnlyList<CapturePlan> Captures { get; init; } = [];

    /// <summary>Samples for custom metrics taken from the call's status or response.</summary>
    public IReadOnlyList<RecordPlan> Records { get; init; } = [];

    /// <summary>Tags on this call's samples, on top of the scenario's, flow's and group's.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>gRPC's status codes by their names (OK, NOT_FOUND, ...), for checks and records on a call's status.</summary>
public static class GrpcStatusNames
{
    /// <summary>The 17 names in code order, so that a code indexes its name: <c>All[5]</c> is NOT_FOUND.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    /// <summary>The code of a name (any case) or a number from 0 to 16; null when it is neither.</summary>
    public static int? Parse(string text)
    {
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number is >= 0 and <= 16 ? number : null;
        }
        var index = All.ToList().FindIndex(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase) || string.Equals(n.Replace("_", "", StringComparison.Ordinal), text, StringComparison.OrdinalIgnoreCase));
        return index >= 0 ? index : null;
    }
}
