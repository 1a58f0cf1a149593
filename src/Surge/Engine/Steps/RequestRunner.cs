using System.Runtime.CompilerServices;
using System.Globalization;
using Surge.Http;
using Surge.Metrics;
using Surge.Plans;
using Surge.Templating;

namespace Surge.Engine.Steps;

/// <summary>
/// Sends one request step and records k6's HTTP metrics for it, then its checks and captures. The series for each
/// status or error are resolved once and cached in an array indexed by status code, so recording a sample takes no
/// lookup and no allocation. A request without templates is serialized once; one with templates is rendered from
/// the VU's variables on every send.
/// </summary>
public sealed class RequestRunner : IStepRunner
{
    private const int StatusSlots = 1000;

    private readonly HttpRequest? _request;
    private readonly RequestStep _step;
    private readonly HttpProtocol _protocol;
    private readonly Template _url;
    private readonly (string Name, Template Value)[] _headers;
    private readonly Template? _body;
    private readonly ResponseRules _rules;
    private readonly TagSet _baseTags;
    private readonly MetricRegistry _registry;
    private readonly RequestSeries?[] _series = new RequestSeries?[StatusSlots + NetworkError.All.Count];

    public RequestRunner(RequestStep step, StepContext context)
    {
        _step = step;
        _registry = context.Scenario.Recorder.Registry;
        _protocol = step.HttpVersion == "2" ? HttpProtocol.Http2 : HttpProtocol.Http11;
        _url = context.Template(step.Url, step.Location);
        _headers = [.. step.Headers.Select(h => (h.Key, context.Template(h.Value, step.Location)))];
        _body = step.Body is null ? null : context.Template(step.Body, step.Location);
        if (_url.IsConstant && _headers.All(h => h.Value.IsConstant) && _body is not { IsConstant: false })
        {
            _request = Build(_url.Render(DictionaryVariables.Empty), _headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value.Render(DictionaryVariables.Empty))).ToList(), _body?.Render(DictionaryVariables.Empty));
        }
        var name = step.Name ?? step.Url;
        _baseTags = context.Tags.With(step.Tags).With(
        [
            new("name", name),
            new("url", name),
            new("method", step.Method.ToUpperInvariant()),
            new("proto", _protocol == HttpProtocol.Http2 ? "HTTP/2.0" : "HTTP/1.1"),
        ]);
        _rules = new ResponseRules(step, _baseTags, _registry);
    }

    private HttpRequest Build(string url, IReadOnlyList<KeyValuePair<string, string>> headers, string? body) =>
        new(_step.Method, new Uri(url, UriKind.Absolute), headers, body, _step.Timeout, _protocol);

    private HttpRequest Render(VirtualUser vu) =>
        Build(_url.Render(vu.Variables), [.. _headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value.Render(vu.Variables)))], _body?.Render(vu.Variables));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken) =>
        Complete(vu, await SendAsync(vu, cancellationToken).ConfigureAwait(false));

    /// <summary>Sends the request; with <see cref="Complete"/>, what <see cref="RunAsync"/> does, one await shallower.</summary>
    internal ValueTask<HttpTimings> SendAsync(VirtualUser vu, CancellationToken cancellationToken) =>
        vu.Http(_protocol).SendAsync(_request ?? Render(vu), _rules.NeedsResponse ? vu.Response : null, cancellationToken);

    /// <summary>Records the request's metrics, then runs its checks and captures.</summary>
    internal void Complete(VirtualUser vu, in HttpTimings timings)
    {
        Record(vu, timings);
        if (!_rules.IsEmpty)
        {
            _rules.Apply(vu, timings, _rules.NeedsResponse ? vu.Response : null);
        }
    }

    private void Record(VirtualUser vu, in HttpTimings timings)
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
