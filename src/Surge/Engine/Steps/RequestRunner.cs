using System.Runtime.CompilerServices;
using System.Globalization;
using Surge.Http;
using Surge.Metrics;
using Surge.Plans;

namespace Surge.Engine.Steps;

/// <summary>
/// Sends one request step and records k6's HTTP metrics for it. The series for each status or error are resolved
/// once and cached in an array indexed by status code, so recording a sample takes no lookup and no allocation.
/// </summary>
public sealed class RequestRunner : IStepRunner
{
    private const int StatusSlots = 1000;

    private readonly HttpRequest _request;
    private readonly RequestStep _step;
    private readonly TagSet _baseTags;
    private readonly MetricRegistry _registry;
    private readonly RequestSeries?[] _series = new RequestSeries?[StatusSlots + NetworkError.All.Count];

    public RequestRunner(RequestStep step, ScenarioRuntime scenario)
    {
        _step = step;
        _registry = scenario.Recorder.Registry;
        var uri = new Uri(step.Url, UriKind.Absolute);
        var protocol = step.HttpVersion == "2" ? HttpProtocol.Http2 : HttpProtocol.Http11;
        _request = new HttpRequest(step.Method, uri, step.Headers, step.Body, step.Timeout, protocol);
        var name = step.Name ?? step.Url;
        _baseTags = scenario.Tags.With(step.Tags).With(
        [
            new("name", name),
            new("url", name),
            new("method", _request.Method.Method),
            new("proto", protocol == HttpProtocol.Http2 ? "HTTP/2.0" : "HTTP/1.1"),
        ]);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken) =>
        Record(vu, await SendAsync(vu, cancellationToken).ConfigureAwait(false));

    /// <summary>Sends the request; with <see cref="Record"/>, what <see cref="RunAsync"/> does, one await shallower.</summary>
    internal ValueTask<HttpTimings> SendAsync(VirtualUser vu, CancellationToken cancellationToken) =>
        vu.Http(_request.Protocol).SendAsync(_request, null, cancellationToken);

    internal void Record(VirtualUser vu, in HttpTimings timings)
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

    private RequestSeries SeriesFor(int status, string? error)
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

    private RequestSeries CreateSeries(int status, string? error)
    {
        var expected = error is null && _step.ExpectedStatuses.Contains(status);
        var tags = _baseTags.With(
        [
            new("status", status.ToString(CultureInfo.InvariantCulture)),
            new("expected_response", expected ? "true" : "false"),
        ]);
        if (error is not null)
        {
            tags = tags.With("error_code", error);
        }
        int Series(MetricDefinition metric) => _registry.GetSeries(metric, tags);
        return new RequestSeries(
            Series(BuiltinMetrics.HttpReqs), Series(BuiltinMetrics.HttpReqDuration), Series(BuiltinMetrics.HttpReqBlocked),
            Series(BuiltinMetrics.HttpReqConnecting), Series(BuiltinMetrics.HttpReqTlsHandshaking),
            Series(BuiltinMetrics.HttpReqSending), Series(BuiltinMetrics.HttpReqWaiting),
            Series(BuiltinMetrics.HttpReqReceiving), Series(BuiltinMetrics.HttpReqFailed), Series(BuiltinMetrics.DataSent),
            Series(BuiltinMetrics.DataReceived), Series(BuiltinMetrics.HttpReqLatency), !expected);
    }

    private sealed record RequestSeries(
        int Reqs, int Duration, int Blocked, int Connecting, int TlsHandshaking, int Sending, int Waiting,
        int Receiving, int Failed, int DataSent, int DataReceived, int Latency, bool IsFailure);
}
