using System.Globalization;
using Surge.Http;
using Surge.Metrics;
using Surge.Plans;

namespace Surge.Engine.Steps;

/// <summary>
/// k6's HTTP metrics for one endpoint (one set of base tags). The series for each status or network error are
/// resolved once and cached in an array indexed by status code, so recording a sample takes no lookup and no
/// allocation. YAML request steps and the C# client both record through this.
/// </summary>
internal sealed class RequestMetrics(TagSet baseTags, MetricRegistry registry, StatusRanges expectedStatuses)
{
    private const int StatusSlots = 1000;

    private readonly Series?[] _series = new Series?[StatusSlots + NetworkError.All.Count];

    /// <summary>
    /// k6's endpoint tags on top of the step's: `name`, `url` (the name, except for a redirect hop, which k6 tags with
    /// its own URL), `method` and `proto`.
    /// </summary>
    public static TagSet EndpointTags(TagSet stepTags, string name, string method, HttpProtocol protocol, string? url = null) => stepTags.With(
    [
        new("name", name),
        new("url", url ?? name),
        new("method", method.ToUpperInvariant()),
        new("proto", protocol == HttpProtocol.Http2 ? "HTTP/2.0" : "HTTP/1.1"),
    ]);

    public void Record(VirtualUser vu, in HttpTimings timings)
    {
        var series = SeriesFor(timings.Status, timings.Error);
        using var writer = vu.Scenario.Recorder.BeginWrite();
        writer.AddCounter(series.Reqs, 1);
        writer.AddTrendFixed(series.Duration, MonotonicClock.ToMicroseconds(timings.Duration));
        writer.AddTrendFixed(series.Blocked, MonotonicClock.ToMicroseconds(timings.Blocked));
        writer.AddTrendFixed(series.Connecting, MonotonicClock.ToMicroseconds(timings.Connecting));
        writer.AddTrendFixed(series.TlsHandshaking, MonotonicClock.ToMicroseconds(timings.TlsHandshaking));
        writer.AddTrendFixed(series.Sending, MonotonicClock.ToMicroseconds(timings.Sending));
        writer.AddTrendFixed(series.Waiting, MonotonicClock.ToMicroseconds(timings.Waiting));
        writer.AddTrendFixed(series.Receiving, MonotonicClock.ToMicroseconds(timings.Receiving));
        writer.AddRate(series.Failed, series.IsFailure);
        writer.AddCounter(series.DataSent, timings.BytesSent);
        writer.AddCounter(series.DataReceived, timings.BytesReceived);
        if (vu.HasIntendedStart)
        {
            writer.AddTrendFixed(series.Latency, MonotonicClock.ToMicroseconds(timings.Duration + vu.StartDelayTicks));
        }
    }

    /// <summary>
    /// Wire bytes of HTTP/2 connections that no request claimed (frames after a VU's last request, closing), under the
    /// scenario's (or run's) tags, as k6 books a connection's bytes outside requests.
    /// </summary>
    public static void RecordUnclaimed(MetricsRecorder recorder, TagSet tags, long sent, long received)
    {
        if (sent == 0 && received == 0)
        {
            return;
        }
        using var writer = recorder.BeginWrite();
        writer.AddCounter(recorder.Registry.GetSeries(BuiltinMetrics.DataSent, tags), sent);
        writer.AddCounter(recorder.Registry.GetSeries(BuiltinMetrics.DataReceived, tags), received);
    }

    /// <summary>Whether http_req_failed counts this outcome as a failure: a network error or an unexpected status.</summary>
    public bool IsFailure(in HttpTimings timings) => timings.Error is not null || !expectedStatuses.Contains(timings.Status);

    private Series SeriesFor(int status, string? error)
    {
        var slot = error is null
            ? Math.Clamp(status, 0, StatusSlots - 1)
            : StatusSlots + Math.Max(0, IndexOfError(error));
        return _series[slot] ?? Interlocked.CompareExchange(ref _series[slot], CreateSeries(status, error), null) ?? _series[slot]!;
    }

    private static int IndexOfError(string error)
    {
        for (var i = 0; i < NetworkError.All.Count; i++)
        {
            if (NetworkError.All[i] == error)
            {
                return i;
            }
        }
        return NetworkError.All.Count - 1;
    }

    private Series CreateSeries(int status, string? error)
    {
        var expected = error is null && expectedStatuses.Contains(status);
        var tags = baseTags.With(
        [
            new("status", status.ToString(CultureInfo.InvariantCulture)),
            new("expected_response", expected ? "true" : "false"),
        ]);
        if (error is not null)
        {
            tags = tags.With("error_code", error);
        }
        int For(MetricDefinition metric) => registry.GetSeries(metric, tags);
        return new Series(
            For(BuiltinMetrics.HttpReqs), For(BuiltinMetrics.HttpReqDuration), For(BuiltinMetrics.HttpReqBlocked),
            For(BuiltinMetrics.HttpReqConnecting), For(BuiltinMetrics.HttpReqTlsHandshaking),
            For(BuiltinMetrics.HttpReqSending), For(BuiltinMetrics.HttpReqWaiting),
            For(BuiltinMetrics.HttpReqReceiving), For(BuiltinMetrics.HttpReqFailed), For(BuiltinMetrics.DataSent),
            For(BuiltinMetrics.DataReceived), For(BuiltinMetrics.HttpReqLatency), !expected);
    }

    private sealed record Series(
        int Reqs, int Duration, int Blocked, int Connecting, int TlsHandshaking, int Sending, int Waiting,
        int Receiving, int Failed, int DataSent, int DataReceived, int Latency, bool IsFailure);
}
