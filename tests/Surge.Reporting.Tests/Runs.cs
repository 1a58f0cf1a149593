using System.Globalization;
using Surge.Metrics;
using Surge.Results;
using Surge.Thresholds;

namespace Surge.Reporting.Tests;

/// <summary>Builds run summaries from known samples, so every number a report shows has a ground truth.</summary>
internal sealed class RunBuilder
{
    private readonly List<(MetricDefinition Definition, Dictionary<TagSet, MetricAggregate> Series)> _metrics = [];

    public DateTimeOffset StartedAt { get; init; } = new(2026, 11, 21, 5, 0, 0, 123, TimeSpan.Zero);

    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    public MetricAggregate Series(MetricDefinition definition, params (string Key, string Value)[] tags)
    {
        var index = _metrics.FindIndex(m => m.Definition.Name == definition.Name);
        if (index < 0)
        {
            _metrics.Add((definition, []));
            index = _metrics.Count - 1;
        }
        var tagSet = TagSet.From(tags.Select(t => new KeyValuePair<string, string>(t.Key, t.Value)));
        var series = _metrics[index].Series;
        if (!series.TryGetValue(tagSet, out var values))
        {
            values = new MetricAggregate(definition.Kind);
            series[tagSet] = values;
        }
        return values;
    }

    public IReadOnlyList<MetricSummary> Metrics() =>
    [
        .. _metrics.Select(m =>
        {
            var total = new MetricAggregate(m.Definition.Kind);
            foreach (var values in m.Series.Values)
            {
                total.Merge(values);
            }
            return new MetricSummary(m.Definition, total, [.. m.Series.Select(s => new MetricSeries(s.Key, s.Value))]);
        }),
    ];

    public RunSummary Build(
        IReadOnlyList<ScenarioSummary> scenarios,
        IReadOnlyList<(string Key, string Expression, bool AbortOnFail)>? thresholds = null)
    {
        var metrics = Metrics();
        var draft = new RunSummary
        {
            StartedAt = StartedAt,
            Duration = Duration,
            Metrics = metrics,
            Thresholds = [],
            Scenarios = scenarios,
        };
        return draft with { Thresholds = [.. (thresholds ?? []).Select(t => Evaluate(draft, t.Key, t.Expression, t.AbortOnFail))] };
    }

    /// <summary>What the engine does at the end of a run: the observed statistic, and whether it meets the bound.</summary>
    public static ThresholdResult Evaluate(RunSummary summary, string key, string expression, bool abortOnFail = false)
    {
        var plan = new Plans.ThresholdPlan
        {
            Key = MetricKey.Parse(key),
            Expression = ThresholdExpression.Parse(expression),
            AbortOnFail = abortOnFail,
        };
        return ThresholdEvaluator.Evaluate([plan], summary.Aggregate, summary.Duration)[0];
    }
}

internal static class Runs
{
    public static readonly ScenarioSummary Browse = new()
    {
        Name = "browse",
        Executor = "ramping-vus",
        Description = "Up to 10 looping VUs for 20s over 3 stages (gracefulRampDown: 2s)",
        MaxVus = 10,
        MaxDuration = TimeSpan.FromSeconds(50),
        CompletedIterations = 300,
        InterruptedIterations = 2,
    };

    public static readonly ScenarioSummary Orders = new()
    {
        Name = "orders",
        Executor = "constant-arrival-rate",
        Description = "50.00 iterations/s for 20s (maxVUs: 5-20, gracefulStop: 30s)",
        MaxVus = 20,
        MaxDuration = TimeSpan.FromSeconds(62),
        CompletedIterations = 200,
        DroppedIterations = 7,
    };

    /// <summary>
    /// 1000 requests over 10 s taking 1..1000 ms: "list" (browse) took 1..600 ms, "login" (orders) 601..1000 ms,
    /// of which 901..1000 ms had unexpected statuses and count as failed.
    /// </summary>
    public static RunBuilder Typical(RunBuilder? into = null)
    {
        var run = into ?? new RunBuilder();
        for (var ms = 1; ms <= 1000; ms++)
        {
            var scenario = ms <= 600 ? "browse" : "orders";
            var name = ms <= 600 ? "list" : "login";
            var expected = ms <= 900 ? "true" : "false";
            (string, string)[] tags = [("scenario", scenario), ("name", name), ("expected_response", expected)];
            run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(ms);
            run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
            run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(expected == "false");
            run.Series(BuiltinMetrics.DataReceived, tags).AddCounter(6300);
        }
        for (var i = 0; i < 500; i++)
        {
            var scenario = i < 300 ? "browse" : "orders";
            run.Series(BuiltinMetrics.Iterations, ("scenario", scenario)).AddCounter(1);
            run.Series(BuiltinMetrics.IterationDuration, ("scenario", scenario)).AddTrend(1500 + i);
            run.Series(BuiltinMetrics.Checks, ("scenario", scenario), ("check", "status is 200")).AddRate(i % 10 != 0);
            run.Series(BuiltinMetrics.Checks, ("scenario", scenario), ("check", "has body")).AddRate(true);
        }
        for (var vus = 1; vus <= 10; vus++)
        {
            run.Series(BuiltinMetrics.Vus).SetGauge(vus, timestamp: vus);
        }
        run.Series(BuiltinMetrics.Vus).SetGauge(5, timestamp: 11);
        return run;
    }

    public static readonly (string, string, bool)[] TypicalThresholds =
    [
        ("http_req_duration", "p(95)<975", false),
        ("http_req_duration{name:login}", "p(99)<500", true),
        ("http_req_failed", "rate<0.01", false),
    ];

    public static RunSummary TypicalSummary() => Typical().Build([Browse, Orders], TypicalThresholds) with
    {
        SummaryTrendStats = ["avg", "min", "med", "max", "p(90)", "p(95)", "p(99)", "count"],
        Warnings = ["orders: 7 iterations were dropped because all 20 VUs were busy"],
    };

    public static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Typical's 1000 requests as ten one-second slices of 100 in order (slice i took i*100+1..i*100+100 ms), with
    /// i+1 VUs; the last slice's requests above 900 ms answered 503 and failed.
    /// </summary>
    public static IReadOnlyList<TimelinePoint> TypicalTimeline() =>
    [
        .. Enumerable.Range(0, 10).Select(i =>
        {
            var duration = new Histogram();
            for (var ms = (i * 100) + 1; ms <= (i * 100) + 100; ms++)
            {
                duration.Record(MetricAggregate.ToFixed(ms));
            }
            var failed = i == 9 ? 100 : 0;
            return new TimelinePoint
            {
                Start = TimeSpan.FromSeconds(i),
                Length = TimeSpan.FromSeconds(1),
                Vus = i + 1,
                Requests = 100,
                FailedRequests = failed,
                Iterations = 50,
                DataSent = 100 * 120,
                DataReceived = 100 * 6300,
                Statuses = failed > 0 ? new Dictionary<int, long> { [503] = failed } : new Dictionary<int, long> { [200] = 100 },
                EncodedDuration = duration.ToBase64(),
            };
        }),
    ];
}
