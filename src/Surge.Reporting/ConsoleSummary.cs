using System.Globalization;
using Surge.Metrics;
using Surge.Results;
using Surge.Thresholds;

namespace Surge.Reporting;

/// <summary>How <see cref="ConsoleSummary"/> lays the summary out.</summary>
/// <param name="Color">ANSI colors: green ✓, red ✗, dim leaders. Off gives plain text.</param>
/// <param name="Width">Terminal width: caps the label column and wraps long notes.</param>
public sealed record ConsoleSummaryOptions(bool Color = false, int Width = 100);

/// <summary>The k6-style end-of-test summary printed to the terminal.</summary>
public static class ConsoleSummary
{
    /// <summary>
    /// The summary text in k6's order: the scenarios, the thresholds with their verdicts, TOTAL RESULTS (checks, then
    /// every metric with its statistics), the failed requests, gRPC calls and WebSocket sessions, a section per scenario
    /// when there are several, then the generator's own load and the warnings. A run that measured only failures says so first. Lines end with '\n'.
    /// </summary>
    public static string Render(RunSummary summary, ConsoleSummaryOptions options)
    {
        var text = new SummaryText(options);
        var overview = FailureOverview.Of(summary);
        var others = FailureTable.OtherProtocols(summary);
        WriteVerdict(text, overview, others);
        WriteHeader(text, summary);
        WriteThresholds(text, summary);
        text.Section("TOTAL RESULTS");
        WriteChecks(text, summary);
        text.Rows(TotalRows(summary));
        WriteCauses(text, "FAILED REQUESTS", overview.Causes, overview.Requests, "requests");
        foreach (var protocol in others)
        {
            WriteCauses(text, protocol.Title, protocol.Causes, protocol.Total, protocol.Plural);
        }
        if (summary.Scenarios.Count > 1)
        {
            foreach (var scenario in summary.Scenarios)
            {
                text.Section("SCENARIO " + scenario.Name);
                text.Rows(ScenarioRows(summary, scenario.Name));
            }
        }
        WriteGenerator(text, summary);
        WriteWarnings(text, summary);
        return text.ToString();
    }

    /// <summary>
    /// A run where no iteration completed, or every request (gRPC call, WebSocket session) failed, says so before
    /// anything else, with the main causes: such a run measured the failure, not the system, whatever the thresholds say.
    /// </summary>
    private static void WriteVerdict(SummaryText text, FailureOverview overview, IReadOnlyList<ProtocolFailures> others)
    {
        var causes = overview.Causes.Count > 0 ? ": " + FailureTable.Describe(overview.Causes) : "";
        var lines = new List<string>();
        if (overview.NoIterationCompleted)
        {
            lines.Add(overview.Requests == 0
                ? "no iteration completed and no request finished"
                : Invariant($"no iteration completed ({overview.Failed} of {overview.Requests} requests failed{causes})"));
        }
        if (overview.EveryRequestFailed)
        {
            lines.Add(Invariant($"every request failed ({overview.Failed} of {overview.Requests}){causes}"));
        }
        lines.AddRange(others.Where(p => p.EveryOneFailed).Select(p =>
            Invariant($"every {p.Noun} failed ({p.Failed} of {p.Total}): {FailureTable.Describe(p.Causes)}")));
        foreach (var line in lines)
        {
            text.Wrapped("  " + text.Fail("✗") + " ", "    ", line);
        }
        if (lines.Count > 0)
        {
            text.Line("");
        }
    }

    /// <summary>Failed requests (calls, sessions) by cause, with their share of all of them; nothing when none failed.</summary>
    private static void WriteCauses(SummaryText text, string title, IReadOnlyList<FailureCause> causes, long total, string of)
    {
        if (causes.Count == 0)
        {
            return;
        }
        text.Section(title);
        text.Rows(
        [
            .. causes.Select(f => new MetricLine(f.Label, 0,
            [
                new(f.Count.ToString(CultureInfo.InvariantCulture), CellStyle.Fail),
                new(DisplayFormat.Percent(total > 0 ? (double)f.Count / total : 0) + " of " + of),
            ], "failure")),
        ]);
    }

    /// <summary>
    /// The scenarios as k6 lists them: the count, VUs and max duration (startTime and gracefulStop included), then one
    /// line each. The run's start prints it too, from the plan.
    /// </summary>
    internal static IEnumerable<string> ScenarioLines(IReadOnlyList<ScenarioSummary> scenarios)
    {
        var maxVus = scenarios.Sum(s => s.MaxVus);
        var maxDuration = scenarios.Count == 0 ? TimeSpan.Zero : scenarios.Max(s => s.MaxDuration);
        yield return Invariant($"  scenarios: {scenarios.Count} {(scenarios.Count == 1 ? "scenario" : "scenarios")}, {maxVus} max VUs, {DisplayFormat.Duration(maxDuration)} max duration (incl. startTime and gracefulStop)");
        foreach (var s in scenarios)
        {
            yield return Invariant($"    * {s.Name}: {s.Description} (max {s.MaxVus} VUs, {DisplayFormat.Duration(s.MaxDuration)})");
        }
    }

    private static void WriteHeader(SummaryText text, RunSummary summary)
    {
        var scenarios = summary.Scenarios;
        foreach (var line in ScenarioLines(scenarios))
        {
            text.Line(line);
        }
        var completed = scenarios.Sum(s => s.CompletedIterations);
        var interrupted = scenarios.Sum(s => s.InterruptedIterations);
        var dropped = scenarios.Sum(s => s.DroppedIterations);
        var failed = scenarios.Sum(s => s.FailedIterations);
        var failedText = failed > 0 ? text.Fail(Invariant($", {failed} failed with an error")) : "";
        text.Line(Invariant($"  iterations: {completed} completed, {interrupted} interrupted, {dropped} dropped{failedText}"));
        text.Line("  duration: " + DisplayFormat.Duration(summary.Duration));
        var outcome = summary.Outcome switch
        {
            RunOutcome.AbortedByThreshold => "aborted: a threshold with abortOnFail failed",
            RunOutcome.Interrupted => $"interrupted: stopped {summary.StoppedBy ?? "by a signal"} before the end",
            RunOutcome.SetupFailed => "setup failed: no scenario ran",
            _ => null,
        };
        if (outcome is not null)
        {
            text.Line("  outcome: " + text.Fail(outcome));
        }
    }

    private static void WriteThresholds(SummaryText text, RunSummary summary)
    {
        if (summary.Thresholds.Count == 0)
        {
            return;
        }
        text.Section("THRESHOLDS");
        var first = true;
        foreach (var byKey in summary.Thresholds.GroupBy(t => t.Key.ToString(), StringComparer.Ordinal))
        {
            if (!first)
            {
                text.Line("");
            }
            first = false;
            text.Line("    " + byKey.Key);
            foreach (var threshold in byKey)
            {
                var definition = summary.Find(threshold.Key.Metric)?.Definition;
                var stat = threshold.Expression.Stat;
                var mark = threshold.Passed ? text.Pass("✓") : text.Fail("✗");
                var observed = threshold.Observed is { } value
                    ? $"{stat}={DisplayFormat.Stat(definition, stat, value)}"
                    : threshold.Passed ? "no data (allowed by allowNoData)" : "no data: nothing was measured for it";
                text.Line($"    {mark} '{threshold.Expression.Text}' {observed}");
            }
        }
    }

    private static void WriteChecks(SummaryText text, RunSummary summary)
    {
        var checks = CheckResults.From(summary);
        if (checks.Count == 0)
        {
            return;
        }
        var nameWidth = checks.Max(c => c.Name.Length);
        foreach (var group in checks.GroupBy(c => c.Group, StringComparer.Ordinal))
        {
            if (group.Key.Length > 0)
            {
                text.Line("    █ " + group.First().GroupLabel);
            }
            foreach (var check in group)
            {
                var mark = check.Fails == 0 ? text.Pass("✓") : text.Fail("✗");
                var share = DisplayFormat.Percent(check.Total == 0 ? 0 : (double)check.Passes / check.Total);
                text.Line(Invariant($"    {mark} {check.Name.PadRight(nameWidth)}  {share,7}  {text.Pass("✓")} {check.Passes} / {text.Fail("✗")} {check.Fails}"));
            }
        }
        text.Line("");
    }

    private static List<SummaryLine> TotalRows(RunSummary summary)
    {
        var metrics = summary.Metrics
            .Where(m => !m.Total.IsEmpty && !IsGenerator(m.Definition))
            .OrderBy(m => m.Definition.Name, StringComparer.Ordinal)
            .ToList();
        var duration = metrics.FirstOrDefault(m => m.Definition.Name == BuiltinMetrics.HttpReqDuration.Name);
        var latency = metrics.FirstOrDefault(m => m.Definition.Name == BuiltinMetrics.HttpReqLatency.Name);
        var startDelay = metrics.FirstOrDefault(m => m.Definition.Name == BuiltinMetrics.IterationStartDelay.Name);
        var showLatencyBesideDuration = duration is not null && latency is not null;

        var lines = new List<SummaryLine>();
        foreach (var metric in metrics)
        {
            if (showLatencyBesideDuration && (metric == latency || metric == startDelay))
            {
                continue;
            }
            lines.Add(Row(summary, metric.Definition, metric.Total, metric.Definition.Name, indent: 0));
            if (metric != duration)
            {
                continue;
            }
            var expected = ExpectedResponses(metric);
            if (expected is not null)
            {
                lines.Add(Row(summary, metric.Definition, expected, "{ expected_response:true }", indent: 2));
            }
            if (showLatencyBesideDuration)
            {
                lines.Add(Row(summary, latency!.Definition, latency.Total, latency.Definition.Name, indent: 0));
                if (startDelay is not null)
                {
                    lines.Add(Row(summary, startDelay.Definition, startDelay.Total, startDelay.Definition.Name, indent: 0));
                }
                lines.Add(new NoteLine("↳ service time vs latency from the intended start (coordinated omission made visible)"));
            }
        }
        return lines;
    }

    /// <summary>http_req_duration over the series k6 calls expected responses, or null when there are none.</summary>
    private static MetricAggregate? ExpectedResponses(MetricSummary duration)
    {
        MetricAggregate? merged = null;
        foreach (var series in duration.Series)
        {
            if (series.Tags["expected_response"] == "true")
            {
                merged ??= new MetricAggregate(duration.Definition.Kind);
                merged.Merge(series.Values);
            }
        }
        return merged;
    }

    private static List<SummaryLine> ScenarioRows(RunSummary summary, string scenario)
    {
        var filter = TagSet.Empty.With("scenario", scenario);
        var lines = new List<SummaryLine>();
        foreach (var definition in new[] { BuiltinMetrics.HttpReqs, BuiltinMetrics.HttpReqDuration, BuiltinMetrics.Iterations, BuiltinMetrics.IterationDuration })
        {
            var metric = summary.Find(definition.Name);
            var values = summary.Aggregate(new MetricKey(definition.Name, filter));
            if (metric is not null && values is { IsEmpty: false })
            {
                lines.Add(Row(summary, metric.Definition, values, definition.Name, indent: 0));
            }
        }
        return lines;
    }

    private static MetricLine Row(RunSummary summary, MetricDefinition definition, MetricAggregate values, string label, int indent)
    {
        var elapsed = summary.Duration;
        List<Cell> cells;
        switch (definition.Kind)
        {
            case MetricKind.Counter:
                cells =
                [
                    new(DisplayFormat.Value(values.Sum, definition.Contains)),
                    new(DisplayFormat.Stat(definition, "rate", values.Stat("rate", elapsed)!.Value)),
                ];
                break;
            case MetricKind.Rate:
                var share = DisplayFormat.Percent(values.Stat("rate", elapsed)!.Value);
                var fails = values.Samples - values.Passes;
                cells = definition.Name == BuiltinMetrics.HttpReqFailed.Name || definition.Name == BuiltinMetrics.GrpcReqFailed.Name
                    ? [new(share), new(Invariant($"{values.Passes} out of {values.Samples}"))]
                    : [new(share), new(Invariant($"✓ {values.Passes}"), CellStyle.Pass), new(Invariant($"✗ {fails}"), CellStyle.Fail)];
                break;
            case MetricKind.Gauge:
                cells =
                [
                    new(DisplayFormat.Value(values.Stat("value", elapsed)!.Value, definition.Contains)),
                    new("min=" + DisplayFormat.Value(values.Stat("min", elapsed)!.Value, definition.Contains)),
                    new("max=" + DisplayFormat.Value(values.Stat("max", elapsed)!.Value, definition.Contains)),
                ];
                break;
            default:
                cells = [];
                foreach (var stat in summary.SummaryTrendStats)
                {
                    if (values.Stat(stat, elapsed) is { } value)
                    {
                        cells.Add(new($"{stat}={DisplayFormat.Stat(definition, stat, value)}"));
                    }
                }
                break;
        }
        return new MetricLine(label, indent, cells, definition.Kind == MetricKind.Trend ? "trend" : "value");
    }

    private static bool IsGenerator(MetricDefinition metric) => BuiltinMetrics.Generator.Any(g => g.Name == metric.Name);

    /// <summary>The generator's own health, apart from what it measured of the server.</summary>
    private static void WriteGenerator(SummaryText text, RunSummary summary)
    {
        var rows = BuiltinMetrics.Generator
            .Select(g => summary.Find(g.Name))
            .Where(m => m is { Total.IsEmpty: false })
            .Select(m => (SummaryLine)Row(summary, m!.Definition, m.Total, m.Definition.Name, indent: 0))
            .ToList();
        if (rows.Count == 0)
        {
            return;
        }
        text.Section("GENERATOR");
        text.Rows(rows);
    }

    private static void WriteWarnings(SummaryText text, RunSummary summary)
    {
        if (summary.Warnings.Count == 0)
        {
            return;
        }
        text.Section("WARNINGS");
        foreach (var warning in summary.Warnings)
        {
            text.Wrapped("    ! ", "      ", warning);
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
