using System.Text.RegularExpressions;
using Surge.Http;
using Surge.Json;
using Surge.Metrics;
using Surge.Plans;

namespace Surge.Engine.Steps;

/// <summary>
/// A request's checks and captures, compiled once: JSON paths parsed, regexes built, one `checks` series per check.
/// They read the response the request kept (<see cref="NeedsResponse"/>); requests with none discard bodies.
/// </summary>
internal sealed class ResponseRules
{
    private readonly CompiledCheck[] _checks;
    private readonly CompiledCapture[] _captures;
    private readonly CompiledRecord[] _records;

    public ResponseRules(RequestStep step, TagSet baseTags, MetricRegistry registry)
        : this(step.Checks, step.Captures, step.Records, baseTags, registry)
    {
    }

    /// <summary>Rules of any response kept as a status and a body: a WebSocket message, or a gRPC call's code and message as proto3 JSON.</summary>
    public ResponseRules(IReadOnlyList<CheckPlan> checks, IReadOnlyList<CapturePlan> captures, IReadOnlyList<RecordPlan> records, TagSet baseTags, MetricRegistry registry)
    {
        _checks = [.. checks.Select(check => new CompiledCheck(check, registry.GetSeries(BuiltinMetrics.Checks, baseTags.With("check", check.Name))))];
        _captures = [.. captures.Select(capture => new CompiledCapture(capture))];
        _records = [.. records.Select(record => new CompiledRecord(record, registry.GetSeries(record.Metric, baseTags)))];
        NeedsResponse = _captures.Length > 0 || _checks.Any(c => c.Plan.Kind is not (CheckKind.Status or CheckKind.Duration))
            || _records.Any(r => r.Plan.JsonPath is not null);
    }

    public bool NeedsResponse { get; }

    public bool IsEmpty => _checks.Length == 0 && _captures.Length == 0 && _records.Length == 0;

    public void Apply(VirtualUser vu, in HttpTimings timings, HttpResponseBuffer? response)
    {
        if (_checks.Length > 0 || _records.Length > 0)
        {
            using var writer = vu.Scenario.Recorder.BeginWrite();
            foreach (var check in _checks)
            {
                writer.AddRate(check.Series, check.Passes(timings, response));
            }
            foreach (var record in _records)
            {
                record.Add(writer, timings, response);
            }
        }
        foreach (var capture in _captures)
        {
            var value = capture.Read(response) ?? throw new CaptureFailedException(capture.Plan);
            vu.Variables.Set(capture.Plan.Variable, value);
            if (capture.Plan.Ledger is { } ledger)
            {
                vu.Scenario.AddToLedger(ledger, value);
            }
        }
    }

    private sealed class CompiledCheck(CheckPlan plan, int series)
    {
        private readonly JsonPath? _path = plan.Kind == CheckKind.JsonPath ? JsonPath.Parse(plan.Subject!) : null;
        private readonly Func<Json.JsonValue, bool> _accept = plan.Expected is null ? static _ => true : found => found.ValueEquals(plan.Expected);
        private readonly Regex? _regex = plan.Kind == CheckKind.BodyMatches ? new Regex(plan.Expected!, RegexOptions.CultureInvariant) : null;

        public CheckPlan Plan => plan;

        public int Series => series;

        public bool Passes(in HttpTimings timings, HttpResponseBuffer? response) => plan.Kind switch
        {
            CheckKind.Status => timings.Error is null && plan.Statuses!.Contains(timings.Status),
            CheckKind.Duration => MonotonicClock.ToTimeSpan(timings.Duration) < plan.MaxDuration,
            CheckKind.Header => response?.Header(plan.Subject!) is { } value && (plan.Expected is null || value == plan.Expected),
            CheckKind.JsonPath => response is not null && _path!.TryEvaluate(response.Body, _accept, out _),
            CheckKind.BodyContains => response is not null && response.BodyText.Contains(plan.Expected!, StringComparison.Ordinal),
            CheckKind.BodyMatches => response is not null && _regex!.IsMatch(response.BodyText),
            _ => false,
        };
    }

    private sealed class CompiledRecord(RecordPlan plan, int series)
    {
        private readonly JsonPath? _path = plan.JsonPath is null ? null : JsonPath.Parse(plan.JsonPath);

        public RecordPlan Plan => plan;

        // A JSON value that is missing or not a number adds nothing: the metric counts what the server reported.
        public void Add(SampleWriter writer, in HttpTimings timings, HttpResponseBuffer? response)
        {
            double value;
            if (plan.PassWhenStatus is { } statuses)
            {
                var matched = timings.Error is null && statuses.Contains(timings.Status);
                if (plan.Metric.Kind != MetricKind.Counter)
                {
                    writer.AddRate(series, matched);
                }
                else if (matched)
                {
                    writer.AddCounter(series, 1);
                }
                return;
            }
            if (plan.Duration)
            {
                writer.AddTrendFixed(series, MonotonicClock.ToMicroseconds(timings.Duration));
                return;
            }
            if (_path is not null)
            {
                if (response is null || !_path.TryEvaluate(response.Body, out var found)
                    || !double.TryParse(found.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out value))
                {
                    return;
                }
            }
            else
            {
                value = plan.Value ?? 1;
            }
            switch (plan.Metric.Kind)
            {
                case MetricKind.Counter:
                    writer.AddCounter(series, value);
                    break;
                case MetricKind.Gauge:
                    writer.SetGauge(series, value);
                    break;
                case MetricKind.Rate:
                    writer.AddRate(series, value != 0);
                    break;
                default:
                    writer.AddTrend(series, value);
                    break;
            }
        }
    }

    private sealed class CompiledCapture(CapturePlan plan)
    {
        private readonly JsonPath? _path = plan.Source == CaptureSource.JsonPath ? JsonPath.Parse(plan.Expression) : null;
        private readonly Regex? _regex = plan.Source == CaptureSource.Regex ? new Regex(plan.Expression, RegexOptions.CultureInvariant) : null;

        public CapturePlan Plan => plan;

        public string? Read(HttpResponseBuffer? response)
        {
            if (response is null)
            {
                return null;
            }
            switch (plan.Source)
            {
                case CaptureSource.JsonPath:
                    return _path!.TryEvaluate(response.Body, out var value) ? value.Text : null;
                case CaptureSource.Header:
                    return response.Header(plan.Expression);
                default:
                    var match = _regex!.Match(response.BodyText);
                    return match.Success && plan.Group < match.Groups.Count && match.Groups[plan.Group].Success
                        ? match.Groups[plan.Group].Value
                        : null;
            }
        }
    }
}
