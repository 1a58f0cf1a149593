using System.Collections.Concurrent;
using Grpc.Core;

namespace Surge.SampleApi.Hosting;

/// <summary>
/// GET /stats's grpc section: calls by method ("cashiers.CashierService/CreateCashier") and status ("OK", "ABORTED",
/// or "RST_STREAM" for a call the server reset), streaming calls, and the stream messages read and written.
/// Unary requests and responses are not stream messages, as in k6's grpc_streams_msgs_*.
/// </summary>
public sealed record GrpcCounts(
    long Calls,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> ByMethod,
    long Streams,
    long MessagesReceived,
    long MessagesSent)
{
    /// <summary>Calls to one method that ended with one status, e.g. CallsTo("chaos.ChaosService/Fail", "NOT_FOUND").</summary>
    public long CallsTo(string method, string status) =>
        ByMethod.TryGetValue(method, out var byStatus) ? byStatus.GetValueOrDefault(status) : 0;
}

/// <summary>Lock-free gRPC counters, recorded by <see cref="GrpcCountingInterceptor"/>.</summary>
internal sealed class GrpcStats
{
    /// <summary>The status recorded for a call whose HTTP/2 stream the server reset: it has no gRPC status.</summary>
    public const string StreamReset = "RST_STREAM";

    // Canonical names, indexed by code, as gRPC's own documentation and k6's status tag spell them.
    private static readonly string[] StatusNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
        "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED",
    ];

    private readonly ConcurrentDictionary<(string Method, string Status), Counter> _calls = new();
    private long _total;
    private long _streams;
    private long _received;
    private long _sent;

    public static string NameOf(StatusCode code) => (int)code is >= 0 and < 17 ? StatusNames[(int)code] : ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void RecordCall(string method, string status)
    {
        Interlocked.Increment(ref _total);
        Interlocked.Increment(ref _calls.GetOrAdd((method, status), static _ => new Counter()).Value);
    }

    public void RecordStream() => Interlocked.Increment(ref _streams);

    public void RecordReceived() => Interlocked.Increment(ref _received);

    public void RecordSent() => Interlocked.Increment(ref _sent);

    public GrpcCounts Snapshot()
    {
        var byMethod = new SortedDictionary<string, SortedDictionary<string, long>>(StringComparer.Ordinal);
        foreach (var ((method, status), counter) in _calls)
        {
            var count = Interlocked.Read(ref counter.Value);
            if (count > 0)
            {
                var name = method.TrimStart('/');
                if (!byMethod.TryGetValue(name, out var byStatus))
                {
                    byMethod[name] = byStatus = new SortedDictionary<string, long>(StringComparer.Ordinal);
                }

                byStatus[status] = count;
            }
        }

        return new GrpcCounts(
            Interlocked.Read(ref _total),
            byMethod.ToDictionary(pair => pair.Key, pair => (IReadOnlyDictionary<string, long>)pair.Value, StringComparer.Ordinal),
            Interlocked.Read(ref _streams),
            Interlocked.Read(ref _received),
            Interlocked.Read(ref _sent));
    }

    /// <summary>Zeroes the counters in place, as <see cref="RequestStats.Reset"/> does.</summary>
    public void Reset()
    {
        Interlocked.Exchange(ref _total, 0);
        Interlocked.Exchange(ref _streams, 0);
        Interlocked.Exchange(ref _received, 0);
        Interlocked.Exchange(ref _sent, 0);
        foreach (var counter in _calls.Values)
        {
            Interlocked.Exchange(ref counter.Value, 0);
        }
    }

    private sealed class Counter
    {
        public long Value;
    }
}
