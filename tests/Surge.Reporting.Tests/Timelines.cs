using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Tests;

/// <summary>Synthetic one-second timeline points with known throughput, latency and statuses.</summary>
internal static class Timelines
{
    /// <param name="second">Start of the slice.</param>
    /// <param name="requests">Requests in the slice; every one took <paramref name="ms"/> except the slowest 5%, which took <paramref name="p95Ms"/>.</param>
    public static TimelinePoint Point(
        int second, long requests, double ms, double? p95Ms = null, long failed = 0, int vus = 10,
        IReadOnlyDictionary<int, long>? statuses = null)
    {
        var duration = new Histogram();
        if (requests > 0)
        {
            // Nearest rank: with 5% or fewer of the values slower, p95 is the fast value; so the slow share is
            // just over 5%, and p95 lands on the slow value.
            var slow = p95Ms is null ? 0 : requests / 20 + 1;
            duration.RecordCount(MetricAggregate.ToFixed(ms), requests - slow);
            if (slow > 0)
            {
                duration.RecordCount(MetricAggregate.ToFixed(p95Ms!.Value), slow);
            }
        }
        return new TimelinePoint
        {
            Start = TimeSpan.FromSeconds(second),
            Length = TimeSpan.FromSeconds(1),
            Vus = vus,
            Requests = requests,
            FailedRequests = failed,
            Iterations = requests,
            Statuses = statuses ?? new Dictionary<int, long> { [200] = requests - failed },
            EncodedDuration = duration.ToBase64(),
        };
    }

    /// <summary>20 s at 100 req/s, p95 20 ms; 429s on a fifth of the requests from 10 s to 14 s (four slices).</summary>
    public static List<TimelinePoint> SpikeFrom10To14() =>
    [
        .. Enumerable.Range(0, 20).Select(s => s is >= 10 and < 14
            ? Point(s, 100, 10, 20, failed: 20, statuses: new Dictionary<int, long> { [200] = 80, [429] = 20 })
            : Point(s, 100, 10, 20)),
    ];

    /// <summary>
    /// Load doubling into saturation: 0..9 s throughput climbs 100..1000 req/s at p95 10 ms; 10..19 s throughput
    /// stays at 1000 req/s while VUs keep rising and p95 climbs 39 → 300 ms.
    /// </summary>
    public static List<TimelinePoint> KneeAt10() =>
    [
        .. Enumerable.Range(0, 20).Select(s => s < 10
            ? Point(s, 100 * (s + 1), 5, 10, vus: 10 * (s + 1))
            : Point(s, 1000, 5, 10 + 29 * (s - 9), vus: 10 * (s + 1))),
    ];

    public static readonly MetricDefinition OrdersPlaced = new("orders_placed", MetricKind.Counter);
    public static readonly MetricDefinition PaymentOk = new("payment_ok", MetricKind.Rate);
    public static readonly MetricDefinition CheckoutTime = new("checkout_time", MetricKind.Trend, MetricContains.Time);

    /// <summary>
    /// <paramref name="points"/> with three custom metrics in every slice: 3 × (s + 1) orders placed, 9 payments of
    /// 10 passing, and checkout times of 1..100 ms plus s × 10 ms (p95 95 ms + s × 10 ms, within 1/1024).
    /// </summary>
    public static List<TimelinePoint> WithCustomMetrics(IEnumerable<TimelinePoint> points) =>
    [
        .. points.Select(p =>
        {
            var s = (int)p.Start.TotalSeconds;
            var checkout = new Histogram();
            for (var ms = 1; ms <= 100; ms++)
            {
                checkout.Record(MetricAggregate.ToFixed(ms + (s * 10)));
            }
            var orders = 3.0 * (s + 1);
            return p with
            {
                Series = new SortedDictionary<string, SliceStats>(StringComparer.Ordinal)
                {
                    [OrdersPlaced.Name] = new(1, orders, orders, orders),
                    [PaymentOk.Name] = new(10, 9, 0.9, 0.9),
                    [CheckoutTime.Name] = new(100, checkout.Sum / MetricAggregate.TrendScale, 1 + (s * 10), 100 + (s * 10))
                    {
                        EncodedHistogram = checkout.ToBase64(),
                    },
                },
            };
        }),
    ];

    /// <summary>A healthy run: 20 s at 500 req/s, p95 12 ms, no failures.</summary>
    public static List<TimelinePoint> Flat() => [.. Enumerable.Range(0, 20).Select(s => Point(s, 500, 5, 12))];
}
