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

    /// <summary>`package.Service/Method`, the `name` tag unless <see cref="Name"/> is given.</summary>
    public required string Method { get; init; }

    /// <summary>An http:// (h2c) or https:// (TLS) URL; null takes the test's base URL.</summary>
    public string? Target { get; init; }

    /// <summary>The method as the .proto files describe it; null when <see cref="Reflect"/> asks the server.</summary>
    public MethodDescriptor? Descriptor { get; init; }

    public bool Reflect { get; init; }

    public ProtoJsonNode Message { get; init; } = new(ProtoJsonKind.Object);

    /// <summary>Metadata sent with the call; values may hold `{{ }}` templates.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Only OK, as gRPC itself counts success.</summary>
    public static readonly StatusRanges OkOnly = new([(0, 0)]);

    /// <summary>Statuses (codes 0-16) that do not count as failed in `grpc_req_failed`, like a request's expectedStatuses.</summary>
    public StatusRanges ExpectedStatuses { get; init; } = OkOnly;

    public string? Name { get; init; }

    public IReadOnlyList<CheckPlan> Checks { get; init; } = [];

    public IReadOnlyList<CapturePlan> Captures { get; init; } = [];

    public IReadOnlyList<RecordPlan> Records { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>gRPC's status codes by their names (OK, NOT_FOUND, ...), for checks and records on a call's status.</summary>
public static class GrpcStatusNames
{
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
