using BenchmarkDotNet.Attributes;
using Surge.Engine;
using Surge.Metrics;

namespace Surge.Benchmarks;

/// <summary>Recording into prepared series, as the hot path does once a status's series ids are cached.</summary>
public class MetricsBenchmarks : IDisposable
{
    // Spread over many buckets (sub-millisecond to seconds, in microseconds) so Record is not always one slot.
    private static readonly long[] Values = [0, 17, 250, 1_023, 2_048, 9_999, 48_000, 310_000, 2_500_000, 61_000_000];

    private readonly Histogram _histogram = new();
    private MetricsRecorder _recorder = null!;
    private int[] _series = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new MetricRegistry();
        _recorder = new MetricsRecorder(registry);
        var tags = TagSet.From(
        [
            new("scenario", "default"), new("name", "hit"), new("url", "hit"), new("method", "GET"),
            new("proto", "HTTP/1.1"), new("status", "200"), new("expected_response", "true"),
        ]);
        _series =
        [
            .. new[]
            {
                BuiltinMetrics.HttpReqs, BuiltinMetrics.HttpReqDuration, BuiltinMetrics.HttpReqBlocked,
                BuiltinMetrics.HttpReqConnecting, BuiltinMetrics.HttpReqTlsHandshaking, BuiltinMetrics.HttpReqSending,
                BuiltinMetrics.HttpReqWaiting, BuiltinMetrics.HttpReqReceiving, BuiltinMetrics.HttpReqFailed,
                BuiltinMetrics.DataSent, BuiltinMetrics.DataReceived, BuiltinMetrics.HttpReqLatency,
            }.Select(metric => registry.GetSeries(metric, tags)),
        ];
        foreach (var value in Values)
        {
            _histogram.Record(value); // allocates the chunks the measured calls touch
        }
    }

    // BenchmarkDotNet needs unsealed benchmark classes, hence the full dispose pattern's SuppressFinalize.
    [GlobalCleanup]
    public void Dispose()
    {
        _recorder.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public long HistogramRecord()
    {
        var value = Values[_next++ % Values.Length];
        _histogram.Record(value);
        return _histogram.TotalCount;
    }

    /// <summary>The twelve samples RequestRunner records for one request, in one write.</summary>
    [Benchmark]
    public void RecordRequestSamples()
    {
        var value = Values[_next++ % Values.Length];
        var s = _series;
        using var writer = _recorder.BeginWrite();
        writer.AddCounter(s[0], 1);
        writer.AddTrendFixed(s[1], value);
        writer.AddTrendFixed(s[2], 0);
        writer.AddTrendFixed(s[3], 0);
        writer.AddTrendFixed(s[4], 0);
        writer.AddTrendFixed(s[5], value / 50);
        writer.AddTrendFixed(s[6], value - (value / 10));
        writer.AddTrendFixed(s[7], value / 20);
        writer.AddRate(s[8], false);
        writer.AddCounter(s[9], 60);
        writer.AddCounter(s[10], 51);
        writer.AddTrendFixed(s[11], value + 3);
    }
}
