using System.Text.Json;
using Surge.Metrics;
using Surge.Reporting.Findings;
using Surge.Results;
using static Surge.Reporting.JsonOutput;

namespace Surge.Reporting.Html;

/// <summary>
/// The JSON the page script renders. Shaped so a live page can be fed the same way: one whole object for
/// `SurgeReport.render(data)`, then one timeline point at a time for `SurgeReport.appendPoint(point)`.
/// Times are seconds from the start of the run, durations milliseconds, shares 0..1.
/// </summary>
internal static class ReportData
{
    /// <summary>The latency percentiles of points and endpoints, with the field names the script reads.</summary>
    private static readonly (double Percentile, string Name)[] Percentiles = [(50, "p50"), (90, "p90"), (95, "p95"), (99, "p99")];

    public static void Write(Utf8JsonWriter json, RunSummary summary, RunFindings findings)
    {
        json.WriteStartObject();
        WriteTiles(json, summary);
        var custom = CustomMetrics(summary).Select(m => m.Definition).ToList();
        json.WriteStartArray("timeline");
        foreach (var point in summary.Timeline)
        {
            WritePoint(json, point, custom);
        }
        json.WriteEndArray();
        WriteEndpoints(json, summary, findings.Endpoints);
        WriteGroups(json, summary);
        WriteCustomMetrics(json, summary);
        WriteThresholds(json, summary);
        WriteChecks(json, summary);
        json.WriteStartArray("verifications");
        foreach (var verification in summary.Verifications)
        {
            json.WriteStartObject();
            json.WriteString("ledger", verification.Ledger);
            json.WriteBoolean("passed", verification.Passed);
            json.WriteString("text", verification.ToString());
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteSpikes(json, findings);
        WriteFindings(json, findings);
        json.WriteEndObject();
    }

    /// <summary>The headline numbers and thresholds alone, as `SurgeReport.update` takes them.</summary>
    public static void WriteStatus(Utf8JsonWriter json, RunSummary summary)
    {
        json.WriteStartObject();
        WriteTiles(json, summary);
        WriteThresholds(json, summary);
        json.WriteEndObject();
    }

    /// <summary>One timeline point as `SurgeReport.appendPoint` takes it, with the values of the <paramref name="custom"/> metrics the slice followed.</summary>
    public static void WritePoint(Utf8JsonWriter json, TimelinePoint point, IReadOnlyList<MetricDefinition>? custom = null)
    {
        json.WriteStartObject();
        NumberOrNull(json, "t", point.Start.TotalSeconds);
        NumberOrNull(json, "length", point.Length.TotalSeconds);
        json.WriteNumber("vus", point.Vus);
        json.WriteNumber("requests", point.Requests);
        json.WriteNumber("failed", point.FailedRequests);
        json.WriteNumber("iterations", point.Iterations);
        json.WriteNumber("dropped", point.DroppedIterations);
        json.WriteNumber("status429", point.Statuses.GetValueOrDefault(429));
        json.WriteNumber("status503", point.Statuses.GetValueOrDefault(503));
        var duration = point.Duration();
        foreach (var (percentile, name) in Percentiles)
        {
            if (duration.TotalCount == 0)
            {
                json.WriteNull(name);
            }
            else
            {
                NumberOrNull(json, name, duration.ValueAtPercentile(percentile) / MetricAggregate.TrendScale);
            }
        }
        WriteGenerator(json, point);
        WriteCustomSlice(json, point, custom ?? []);
        json.WriteEndObject();
    }

    /// <summary>
    /// The test's own metrics in the slice, in the unit their chart shows: a counter per second, a rate's share of
    /// passes (0..1), a gauge's average reading with its extremes, a trend's percentiles (milliseconds for time).
    /// A metric without data in the slice is absent, so that its chart shows a gap.
    /// </summary>
    private static void WriteCustomSlice(Utf8JsonWriter json, TimelinePoint point, IReadOnlyList<MetricDefinition> custom)
    {
        json.WriteStartObject("custom");
        foreach (var metric in custom)
        {
            if (point.Find(metric.Name) is not { } stats)
            {
                continue;
            }
            json.WriteStartObject(metric.Name);
            switch (metric.Kind)
            {
                case MetricKind.Counter:
                    NumberOrNull(json, "value", point.Length > TimeSpan.Zero ? stats.Sum / point.Length.TotalSeconds : null);
                    break;
                case MetricKind.Rate:
                    NumberOrNull(json, "value", stats.Mean);
                    break;
                case MetricKind.Gauge:
                    NumberOrNull(json, "value", stats.Mean);
                    NumberOrNull(json, "min", stats.Min);
                    NumberOrNull(json, "max", stats.Max);
                    break;
                default:
                    NumberOrNull(json, "avg", stats.Mean);
                    foreach (var (percentile, name) in TrendPercentiles)
                    {
                        NumberOrNull(json, name, stats.Percentile(percentile));
                    }
                    break;
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }

    /// <summary>The percentiles a custom trend's chart draws.</summary>
    private static readonly (double Percentile, string Name)[] TrendPercentiles = [(50, "p50"), (95, "p95"), (99, "p99")];

    /// <summary>What a custom metric's chart plots, for its axis label: "per second", "share of passes", "ms"...</summary>
    private static string ChartUnit(MetricDefinition metric) => (metric.Kind, metric.Contains) switch
    {
        (MetricKind.Counter, MetricContains.Data) => "bytes per second",
        (MetricKind.Counter, MetricContains.Time) => "ms per second",
        (MetricKind.Counter, _) => "per second",
        (MetricKind.Rate, _) => "share of passes",
        (_, MetricContains.Time) => "ms",
        (_, MetricContains.Data) => "bytes",
        _ => "value",
    };

    /// <summary>The metrics the test declared itself, in the summary's order.</summary>
    public static IEnumerable<MetricSummary> CustomMetrics(RunSummary summary)
    {
        var builtin = BuiltinMetrics.All.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        return summary.Metrics.Where(m => !builtin.Contains(m.Definition.Name));
    }

    /// <summary>The generator's health in the slice, or null when the run did not watch itself: shares 0..1, lag in ms.</summary>
    private static void WriteGenerator(Utf8JsonWriter json, TimelinePoint point)
    {
        if (point.Find(BuiltinMetrics.GeneratorCpu.Name) is not { } cpu)
        {
            json.WriteNull("generator");
            return;
        }
        json.WriteStartObject("generator");
        NumberOrNull(json, "cpu", cpu.Mean);
        NumberOrNull(json, "machineCpu", point.Find(BuiltinMetrics.MachineCpu.Name)?.Mean);
        NumberOrNull(json, "lag", point.Find(BuiltinMetrics.SchedulerLag.Name)?.Mean);
        NumberOrNull(json, "lagMax", point.Find(BuiltinMetrics.SchedulerLag.Name)?.Max);
        NumberOrNull(json, "gcPause", point.Find(BuiltinMetrics.GcPause.Name)?.Sum);
        NumberOrNull(json, "queue", point.Find(BuiltinMetrics.ThreadPoolQueue.Name)?.Max);
        NumberOrNull(json, "memory", point.Find(BuiltinMetrics.Memory.Name)?.Max);
        json.WriteBoolean("saturated", Health.GeneratorSaturation.IsSaturated(point));
        json.WriteEndObject();
    }

    private static void WriteTiles(Utf8JsonWriter json, RunSummary summary)
    {
        var elapsed = summary.Duration;
        var duration = summary.Find(BuiltinMetrics.HttpReqDuration.Name)?.Total;
        json.WriteStartObject("run");
        json.WriteString("startedAt", DisplayFormat.Timestamp(summary.StartedAt));
        NumberOrNull(json, "duration", elapsed.TotalSeconds);
        json.WriteString("outcome", FindingsMarkdown.OutcomeText(summary));
        json.WriteBoolean("passed", summary.Outcome == RunOutcome.Completed && summary.ThresholdsPassed && summary.Verifications.All(v => v.Passed));
        NumberOrNull(json, "requests", Stat(summary, BuiltinMetrics.HttpReqs, "count"));
        NumberOrNull(json, "rps", Stat(summary, BuiltinMetrics.HttpReqs, "rate"));
        NumberOrNull(json, "failureRate", Stat(summary, BuiltinMetrics.HttpReqFailed, "rate"));
        NumberOrNull(json, "p95", duration?.Stat("p(95)", elapsed) ?? 0);
        NumberOrNull(json, "p99", duration?.Stat("p(99)", elapsed) ?? 0);
        NumberOrNull(json, "iterations", summary.Scenarios.Sum(s => s.CompletedIterations));
        NumberOrNull(json, "dropped", summary.Scenarios.Sum(s => s.DroppedIterations));
        // The most VUs that ran at once, as sampled: the configured maxVUs say what was allowed, not what was used.
        NumberOrNull(json, "vusMax", summary.Find(BuiltinMetrics.Vus.Name)?.Total is { IsEmpty: false } vus ? vus.GaugeMax : 0);
        NumberOrNull(json, "dataReceived", Stat(summary, BuiltinMetrics.DataReceived, "count"));
        NumberOrNull(json, "dataSent", Stat(summary, BuiltinMetrics.DataSent, "count"));
        json.WriteStartArray("warnings");
        foreach (var warning in summary.Warnings)
        {
            json.WriteStringValue(warning);
        }
        json.WriteEndArray();
        json.WriteEndObject();

        double Stat(RunSummary s, MetricDefinition metric, string stat) => s.Find(metric.Name)?.Total.Stat(stat, elapsed) ?? 0;
    }

    private static void WriteEndpoints(Utf8JsonWriter json, RunSummary summary, IReadOnlyList<EndpointStats> endpoints)
    {
        json.WriteStartArray("endpoints");
        foreach (var endpoint in endpoints)
        {
            json.WriteStartObject();
            json.WriteString("method", endpoint.Method);
            json.WriteString("name", endpoint.Name);
            json.WriteNumber("requests", endpoint.Requests);
            NumberOrNull(json, "rps", endpoint.RequestsPerSecond(summary.Duration));
            foreach (var (percentile, name) in Percentiles)
            {
                NumberOrNull(json, name, endpoint.Percentile(percentile));
            }
            NumberOrNull(json, "max", endpoint.Duration.Stat("max", TimeSpan.Zero) ?? 0);
            NumberOrNull(json, "errorRate", endpoint.ErrorRate);
            json.WriteStartObject("statuses");
            foreach (var (status, count) in endpoint.Statuses)
            {
                json.WriteNumber(status.ToString(System.Globalization.CultureInfo.InvariantCulture), count);
            }
            json.WriteEndObject();
            json.WriteStartObject("errors");
            foreach (var (code, count) in endpoint.ErrorCodes)
            {
                json.WriteNumber(code, count);
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Per scenario and per user (the `user` tag): requests, p95, failures and iterations.</summary>
    private static void WriteGroups(Utf8JsonWriter json, RunSummary summary)
    {
        json.WriteStartArray("groups");
        foreach (var group in GroupStats.By(summary, "scenario").Concat(GroupStats.By(summary, "user")))
        {
            json.WriteStartObject();
            json.WriteString("tag", group.Tag);
            json.WriteString("name", group.Name);
            json.WriteNumber("requests", group.Requests);
            NumberOrNull(json, "rps", summary.Duration > TimeSpan.Zero ? group.Requests / summary.Duration.TotalSeconds : 0);
            if (group.Duration.IsEmpty)
            {
                json.WriteNull("p95");
            }
            else
            {
                NumberOrNull(json, "p95", group.Duration.Stat("p(95)", summary.Duration)!.Value);
            }
            json.WriteNumber("failed", group.Failures);
            NumberOrNull(json, "errorRate", group.ErrorRate);
            if (group.Iterations is { } iterations)
            {
                json.WriteNumber("iterations", iterations);
            }
            else
            {
                json.WriteNull("iterations");
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>
    /// Metrics the test declared (business KPIs), each as a tile: trends by their summary statistics, rates as a share,
    /// counters as a count and a rate per second, gauges by their value. Values are already formatted for display.
    /// </summary>
    private static void WriteCustomMetrics(Utf8JsonWriter json, RunSummary summary)
    {
        json.WriteStartArray("customMetrics");
        foreach (var metric in CustomMetrics(summary))
        {
            var definition = metric.Definition;
            var total = metric.Total;
            string Stat(string stat) => total.HasNoDataFor(stat) ? "no data" : DisplayFormat.Stat(definition, stat, total.Stat(stat, summary.Duration)!.Value);
            var (value, detail) = definition.Kind switch
            {
                MetricKind.Counter => (Stat("count"), Stat("rate")),
                MetricKind.Rate => (Stat("rate"), total.IsEmpty ? "" : $"{total.Passes} of {total.Samples}"),
                MetricKind.Gauge => (Stat("value"), total.IsEmpty ? "" : $"min {Stat("min")}, max {Stat("max")}"),
                _ => (total.IsEmpty ? "no data" : "p95 " + Stat("p(95)"), total.IsEmpty ? "" : $"avg {Stat("avg")}, med {Stat("med")}, max {Stat("max")}"),
            };
            json.WriteStartObject();
            json.WriteString("name", definition.Name);
            json.WriteString("kind", definition.Kind.ToString().ToLowerInvariant());
            json.WriteString("value", value);
            json.WriteString("detail", detail);
            json.WriteString("unit", ChartUnit(definition));
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteThresholds(Utf8JsonWriter json, RunSummary summary)
    {
        json.WriteStartArray("thresholds");
        foreach (var threshold in summary.Thresholds)
        {
            json.WriteStartObject();
            json.WriteString("metric", threshold.Key.ToString());
            json.WriteString("expression", threshold.Expression.Text);
            json.WriteString("observed", threshold.Observed is { } observed
                ? DisplayFormat.Stat(summary.Find(threshold.Key.Metric)?.Definition, threshold.Expression.Stat, observed)
                : threshold.Passed ? "no data (allowed)" : "no data");
            json.WriteBoolean("passed", threshold.Passed);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteChecks(Utf8JsonWriter json, RunSummary summary)
    {
        json.WriteStartArray("checks");
        foreach (var check in CheckResults.From(summary))
        {
            json.WriteStartObject();
            json.WriteString("group", check.GroupLabel);
            json.WriteString("name", check.Name);
            json.WriteNumber("passes", check.Passes);
            json.WriteNumber("fails", check.Fails);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteSpikes(Utf8JsonWriter json, RunFindings findings)
    {
        json.WriteStartObject("throttling");
        json.WriteNumber("status429", findings.TooManyRequests);
        json.WriteNumber("status503", findings.ServiceUnavailable);
        json.WriteStartArray("spikes");
        foreach (var spike in findings.Spikes)
        {
            json.WriteStartObject();
            NumberOrNull(json, "start", spike.Start.TotalSeconds);
            if (spike.RecoveryTime is { } recovery)
            {
                NumberOrNull(json, "recovery", recovery.TotalSeconds);
            }
            else
            {
                json.WriteNull("recovery");
            }
            NumberOrNull(json, "peakShare", spike.PeakShare);
            NumberOrNull(json, "baselineShare", spike.BaselineShare);
            json.WriteNumber("status429", spike.TooManyRequests);
            json.WriteNumber("status503", spike.ServiceUnavailable);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteFindings(Utf8JsonWriter json, RunFindings findings)
    {
        json.WriteStartArray("findings");
        foreach (var section in findings.Sections())
        {
            json.WriteStartObject();
            json.WriteString("title", section.Title);
            json.WriteStartArray("lines");
            foreach (var line in section.Lines)
            {
                json.WriteStartArray();
                foreach (var part in line.Parts)
                {
                    json.WriteStartObject();
                    json.WriteString("text", part.Text);
                    json.WriteBoolean("code", part.IsCode);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
