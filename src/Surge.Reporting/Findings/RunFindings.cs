using System.Globalization;
using Surge.Health;
using Surge.Results;
using static Surge.Reporting.Findings.FindingWords;

namespace Surge.Reporting.Findings;

/// <summary>
/// What a run says in words: which endpoints were best and worst, which failed and how, which thresholds were
/// closest to breaking, where the system saturated, and what to do next. Derived from the summary alone.
/// </summary>
internal sealed record RunFindings
{
    /// <summary>A threshold with less room than this is called out in the next steps.</summary>
    public const double TightMargin = 0.10;

    private const int ClosestThresholdCount = 3;

    public required RunSummary Summary { get; init; }

    public required IReadOnlyList<EndpointStats> Endpoints { get; init; }

    public EndpointStats? FastestByP95 { get; init; }

    public EndpointStats? SlowestByP95 { get; init; }

    public EndpointStats? LowestErrorRate { get; init; }

    public EndpointStats? HighestErrorRate { get; init; }

    /// <summary>Endpoints with at least one failed request, highest error rate first.</summary>
    public required IReadOnlyList<EndpointStats> Failing { get; init; }

    /// <summary>The thresholds with the least room (failed ones first), at most three.</summary>
    public required IReadOnlyList<ThresholdMargin> ClosestThresholds { get; init; }

    public LatencyKnee? Knee { get; init; }

    public required IReadOnlyList<ErrorSpike> Spikes { get; init; }

    public long TooManyRequests { get; init; }

    public long ServiceUnavailable { get; init; }

    /// <summary>Scenarios whose arrival-rate executor could not start every iteration.</summary>
    public required IReadOnlyList<ScenarioSummary> DroppingScenarios { get; init; }

    /// <summary>Stretches of 3 s or more in which the generator itself was saturated (its CPU or its timers).</summary>
    public IReadOnlyList<SaturationSpan> GeneratorSaturated { get; init; } = [];

    public static RunFindings From(RunSummary summary)
    {
        var endpoints = EndpointTable.From(summary);
        // An endpoint that failed every request is fast at failing, not fast: it is named apart, never ranked.
        var byP95 = endpoints.Where(e => !e.FailedEveryRequest).OrderBy(e => e.Percentile(95)).ThenBy(e => e.Label, StringComparer.Ordinal).ToList();
        var byErrors = endpoints.OrderBy(e => e.ErrorRate).ThenBy(e => e.Label, StringComparer.Ordinal).ToList();
        var statuses = endpoints.SelectMany(e => e.Statuses).ToList();
        return new RunFindings
        {
            Summary = summary,
            Endpoints = endpoints,
            FastestByP95 = byP95.FirstOrDefault(),
            SlowestByP95 = byP95.LastOrDefault(),
            LowestErrorRate = byErrors.FirstOrDefault(),
            HighestErrorRate = byErrors.LastOrDefault(),
            Failing = [.. endpoints.Where(e => e.Failures > 0).OrderByDescending(e => e.ErrorRate).ThenBy(e => e.Label, StringComparer.Ordinal)],
            ClosestThresholds = [.. summary.Thresholds.Select(t => ThresholdMargin.Of(t, IsShare(summary, t))).OfType<ThresholdMargin>().OrderBy(m => m.Margin).Take(ClosestThresholdCount)],
            Knee = LatencyKnees.Find(summary.Timeline),
            Spikes = ErrorSpikes.Find(summary.Timeline),
            TooManyRequests = statuses.Where(s => s.Key == 429).Sum(s => s.Value),
            ServiceUnavailable = statuses.Where(s => s.Key == 503).Sum(s => s.Value),
            DroppingScenarios = [.. summary.Scenarios.Where(s => s.DroppedIterations > 0)],
            GeneratorSaturated = GeneratorSaturation.Spans(summary.Timeline),
        };
    }

    /// <summary>Thresholds that failed, in plan order, those without data included.</summary>
    public IEnumerable<ThresholdResult> FailedThresholds => Summary.Thresholds.Where(t => !t.Passed);

    /// <summary>Verify stages that found lost or duplicated writes, or could not read the server's records.</summary>
    public IEnumerable<IntegrityResult> FailedVerifications => Summary.Verifications.Where(v => !v.Passed);

    /// <summary>Writes acknowledged to the client that the server does not have, over every verify stage.</summary>
    public int LostWrites => Summary.Verifications.Sum(v => v.Missing);

    /// <summary>True when the run failed in a way CI would see: a threshold, a verify stage, or an early end.</summary>
    public bool SomethingFailed => FailedThresholds.Any() || FailedVerifications.Any() || Summary.Outcome != RunOutcome.Completed;

    /// <summary>The findings as titled sections of sentences, in reading order; every renderer writes these.</summary>
    public IReadOnlyList<FindingSection> Sections()
    {
        var sections = new List<FindingSection>();
        var failures = FailureLines();
        if (failures.Count > 0)
        {
            sections.Add(new("What failed", failures));
        }
        sections.Add(new("Endpoints", EndpointLines()));
        if (Failing.Count > 0)
        {
            sections.Add(new("Failing endpoints", [.. Failing.Select(FailingLine)]));
        }
        var passing = ClosestThresholds.Where(m => m.Threshold.Passed).ToList();
        if (passing.Count > 0)
        {
            sections.Add(new("Thresholds closest to breaking", [.. passing.Select(ThresholdLine)]));
        }
        sections.Add(new("Saturation", SaturationLines()));
        sections.Add(new("Next steps", NextSteps()));
        return sections;
    }

    /// <summary>
    /// What CI would fail the run for, each with its numbers, before any reading of the numbers: how the run ended,
    /// whether anything worked at all, failed thresholds and failed verify stages.
    /// </summary>
    private List<FindingLine> FailureLines()
    {
        var lines = new List<FindingLine>();
        var outcome = Summary.Outcome switch
        {
            RunOutcome.AbortedByThreshold => "The run was aborted by a threshold with abortOnFail.",
            RunOutcome.Interrupted => "The run was stopped before its end.",
            RunOutcome.SetupFailed => "Setup failed, so no scenario ran.",
            _ => null,
        };
        if (outcome is not null)
        {
            lines.Add(Say(outcome));
        }
        var overview = FailureOverview.Of(Summary);
        if (overview.NoIterationCompleted)
        {
            lines.Add(Say(overview.Requests == 0 ? "No iteration completed and no request finished." : "No iteration completed."));
        }
        if (overview.EveryRequestFailed)
        {
            lines.Add(Say(Invariant($"Every request failed ({overview.Failed} of {overview.Requests}): {FailureTable.Describe(overview.Causes)}.")));
        }
        foreach (var threshold in FailedThresholds)
        {
            lines.Add(threshold.Observed is null
                ? Say("Threshold ", new Code(threshold.Key.ToString()), " ", new Code(threshold.Expression.Text), " failed: no data, nothing was measured for it.")
                : Say("Threshold ", new Code(threshold.Key.ToString()), " ", new Code(threshold.Expression.Text), ": observed ", Observed(threshold), PastTheBound(threshold), "."));
        }
        foreach (var verification in FailedVerifications)
        {
            lines.Add(Say("Verify ", new Code(verification.Ledger), " failed: ", VerifyText(verification), "."));
        }
        return lines;
    }

    private string PastTheBound(ThresholdResult threshold) =>
        ThresholdMargin.Of(threshold, IsShare(Summary, threshold)) is { Margin: < 0 } margin
            ? ", failed, " + Percent(-margin.Margin) + " past the bound"
            : ", failed";

    private static string VerifyText(IntegrityResult result)
    {
        if (result.Error is not null)
        {
            return "the server's records could not be read: " + result.Error;
        }
        var parts = new List<string>();
        if (result.Missing > 0)
        {
            parts.Add(Invariant($"{result.Missing} of {result.Acknowledged} acknowledged writes are not on the server ({result.OnServer} records listed)"));
        }
        if (result.DuplicatesAcknowledged > 0)
        {
            parts.Add(Invariant($"{Plural(result.DuplicatesAcknowledged, "id")} acknowledged twice"));
        }
        if (result.DuplicatesOnServer > 0)
        {
            parts.Add(Invariant($"{Plural(result.DuplicatesOnServer, "id")} listed twice on the server"));
        }
        return string.Join("; ", parts);
    }

    private List<FindingLine> EndpointLines()
    {
        if (Endpoints.Count == 0)
        {
            return [Say("The run made no HTTP request.")];
        }
        var allFailed = Endpoints.Where(e => e.FailedEveryRequest).ToList();
        var failedLines = allFailed.Select(e => Say(Name(e), Invariant($" failed every one of its {Plural(e.Requests, "request")} ({FailureTable.Describe(e.FailureCauses)}), so its latency is not ranked."))).ToList();
        if (FastestByP95 is null)
        {
            return failedLines;
        }
        if (Endpoints.Count == 1)
        {
            var only = Endpoints[0];
            return [Say("One endpoint, ", Name(only), ": ", P95(only), ", error rate ", Percent(only.ErrorRate), ".")];
        }
        var lines = new List<FindingLine>();
        lines.Add(FastestByP95 == SlowestByP95
            ? Say("The only endpoint with a successful request: ", Name(FastestByP95), " (", P95(FastestByP95), ").")
            : Say("Fastest by p95: ", Name(FastestByP95), " (", P95(FastestByP95), "); slowest: ", Name(SlowestByP95!), " (", P95(SlowestByP95!), ")."));
        lines.AddRange(failedLines);
        lines.Add(HighestErrorRate!.Failures == 0
            ? Say("No endpoint failed a request.")
            : Say("Lowest error rate: ", Name(LowestErrorRate!), " (", Percent(LowestErrorRate!.ErrorRate), "); highest: ",
                Name(HighestErrorRate), " (", Percent(HighestErrorRate.ErrorRate), ")."));
        return lines;
    }

    private static FindingLine FailingLine(EndpointStats endpoint)
    {
        var because = endpoint.FailureCauses.Count == 0 ? "" : " (" + string.Join(", ", endpoint.FailureCauses) + ")";
        return Say(Name(endpoint), Invariant($": {Percent(endpoint.ErrorRate)} of {Plural(endpoint.Requests, "request")} failed{because}."));
    }

    private FindingLine ThresholdLine(ThresholdMargin margin)
    {
        var threshold = margin.Threshold;
        return Say(new Code(threshold.Key.ToString()), " ", new Code(threshold.Expression.Text), ": observed ", Observed(threshold), ", " + Percent(margin.Margin) + " to spare.");
    }

    private List<FindingLine> SaturationLines()
    {
        var lines = new List<FindingLine>();
        if (GeneratorSaturation.Describe(GeneratorSaturated) is { } saturated)
        {
            // First: every other reading of the numbers below is suspect while it holds.
            lines.Add(Say(char.ToUpperInvariant(saturated[0]) + saturated[1..] + "."));
        }
        if (Knee is { } knee)
        {
            lines.Add(Say(Invariant($"Latency knee at {Seconds(knee.At)}: throughput flattened at {Rate(knee.PlateauRequestsPerSecond)} while p95 rose from {Ms(knee.BaselineP95)} to {Ms(knee.PeakP95)}.")));
        }
        foreach (var scenario in DroppingScenarios)
        {
            lines.Add(Say("Scenario ", new Code(scenario.Name), Invariant($" dropped {Plural(scenario.DroppedIterations, "iteration")}: every VU was busy, so less load was offered than planned.")));
        }
        var turnedAway = new[] { (Count: TooManyRequests, Status: "429 (too many requests)"), (Count: ServiceUnavailable, Status: "503 (unavailable)") }
            .Where(t => t.Count > 0)
            .Select(t => Invariant($"{t.Status} {Times(t.Count)}"))
            .ToList();
        if (turnedAway.Count > 0)
        {
            lines.Add(Say("The target answered " + string.Join(" and ", turnedAway) + "."));
        }
        foreach (var spike in Spikes)
        {
            lines.Add(Say(SpikeText(spike)));
        }
        if (lines.Count == 0)
        {
            lines.Add(Endpoints.Count > 0 && Endpoints.All(e => e.FailedEveryRequest)
                ? Say("Not judged: every request failed, so the timings measure the failure, not the load.")
                : Say("No sign of saturation: latency did not bend against throughput, no iteration was dropped and errors did not spike."));
        }
        return lines;
    }

    private static string SpikeText(ErrorSpike spike)
    {
        var what = Invariant($"Error spike at {Seconds(spike.Start)} (peak {Percent(spike.PeakShare)} of requests, 429 ×{spike.TooManyRequests}, 503 ×{spike.ServiceUnavailable})");
        return spike.RecoveryTime is { } recovery
            ? what + Invariant($": back to the calm level of {Percent(spike.BaselineShare)} after {Seconds(recovery)}.")
            : what + ": not recovered when the run ended.";
    }

    private List<FindingLine> NextSteps()
    {
        var steps = new List<FindingLine>();
        if (Summary.Outcome == RunOutcome.Interrupted)
        {
            steps.Add(Say("The run was stopped early: run it to the end before trusting these numbers."));
        }
        if (GeneratorSaturated.Count > 0)
        {
            steps.Add(Say("Give the generator room before reading the server's numbers: spread the load over more cores or machines, lower the rate per instance, or make the test's own code cheaper, until surge_generator_cpu stays under 90% and surge_scheduler_lag under 10 ms (a threshold such as ",
                new Code("surge_generator_cpu: [\"max<0.9\"]"), " lets CI refuse such a run)."));
        }
        if (Knee is { } knee)
        {
            steps.Add(Say(Invariant($"Treat about {Rate(knee.PlateauRequestsPerSecond)} as the current capacity: profile the server (CPU, thread and connection pools, locks) at that rate, and keep latency targets for load below it.")));
        }
        foreach (var endpoint in Failing)
        {
            var serverErrors = endpoint.Statuses.Where(s => s.Key is >= 500 and not 503).Sum(s => s.Value);
            if (serverErrors > 0)
            {
                steps.Add(Say("Read the server's logs for ", Name(endpoint), Invariant($": {Plural(serverErrors, "response")} {(serverErrors == 1 ? "was a server error" : "were server errors")} (5xx).")));
            }
            if (endpoint.Statuses.GetValueOrDefault(0) > 0)
            {
                steps.Add(Say("Check timeouts and connection limits for ", Name(endpoint), Invariant($": {Plural(endpoint.Statuses[0], "request")} ended in a network error.")));
            }
            var clientErrors = endpoint.FailureCauses.Where(c => c.ErrorCode is null && c.Status is >= 400 and < 500 and not 429).Sum(c => c.Count);
            if (clientErrors > 0 && LostWrites > 0)
            {
                // A 404 for a record the client was told exists is what lost writes look like from outside.
                steps.Add(Say("Look at the store before the test data of ", Name(endpoint), Invariant($": {Plural(clientErrors, "response")} {(clientErrors == 1 ? "was a client error" : "were client errors")} (4xx) while verify found {Plural(LostWrites, "acknowledged write")} missing, so they may ask for records the server lost.")));
            }
            else if (clientErrors > 0)
            {
                steps.Add(Say("Fix the request or test data of ", Name(endpoint), Invariant($": {Plural(clientErrors, "response")} {(clientErrors == 1 ? "was a client error" : "were client errors")} (4xx), which load does not explain.")));
            }
        }
        foreach (var verification in FailedVerifications.Where(v => v.Error is null))
        {
            steps.Add(Say("Find where the store loses or duplicates what it acknowledged (verify ", new Code(verification.Ledger), "): "
                + "look for writes that are not atomic or not flushed under concurrent load; a store that is wrong under load is wrong at any latency."));
        }
        if (TooManyRequests > 0)
        {
            steps.Add(Say(Invariant($"The target rate-limited the test ({TooManyRequests} × 429): raise the limit for the load generator or lower the rate, since above the limit the test measures the limiter, not the service.")));
        }
        if (ServiceUnavailable > 0)
        {
            steps.Add(Say(Invariant($"The target shed load ({ServiceUnavailable} × 503): find which dependency or queue turned requests away and at what rate it started.")));
        }
        foreach (var spike in Spikes.Where(s => s.RecoveryTime is null))
        {
            steps.Add(Say(Invariant($"The error spike from {Seconds(spike.Start)} had not recovered when the run ended: run longer, or end with a lower stage, to see whether the service recovers.")));
        }
        foreach (var scenario in DroppingScenarios)
        {
            steps.Add(Say("Raise maxVUs of scenario ", new Code(scenario.Name), Invariant($" (it dropped {Plural(scenario.DroppedIterations, "iteration")}) or lower its rate, so that the planned load is the load offered.")));
        }
        foreach (var threshold in FailedThresholds)
        {
            steps.Add(threshold.Observed is null
                ? Say("Threshold ", new Code(threshold.Key.ToString()), " ", new Code(threshold.Expression.Text), " had no data: check its metric and tag filter against what the run recorded (see the warnings), or set allowNoData if nothing is the expected outcome.")
                : Say("Threshold ", new Code(threshold.Key.ToString()), " ", new Code(threshold.Expression.Text), " failed: fix the cause above, or set the bound from a healthy baseline run if it was a guess."));
        }
        foreach (var margin in ClosestThresholds.Where(m => m.Threshold.Passed && m.Margin < TightMargin))
        {
            var threshold = margin.Threshold;
            steps.Add(Say("Threshold ", new Code(threshold.Key.ToString()), " ", new Code(threshold.Expression.Text), " passed with only ", Percent(margin.Margin), " to spare: a little more load or a slower deploy will break it."));
        }
        if (steps.Count == 0)
        {
            steps.Add(SomethingFailed || Failing.Count > 0
                ? Say("Fix what failed, listed first, before raising the load.")
                : Say("Nothing is near a limit at this load: raise it (e.g. with a ramping-arrival-rate scenario) to find where latency bends."));
        }
        return steps;
    }

    // A rate metric's `rate` is a share with an error budget; a counter's `rate` is per second.
    private static bool IsShare(RunSummary summary, ThresholdResult threshold) =>
        threshold.Expression.Stat == "rate" && summary.Find(threshold.Key.Metric)?.Definition.Kind == Metrics.MetricKind.Rate;

    private static Code Name(EndpointStats endpoint) => new(endpoint.Label.Trim());

    private static string P95(EndpointStats endpoint) => "p95 " + Ms(endpoint.Percentile(95));

    private string Observed(ThresholdResult threshold) =>
        DisplayFormat.Stat(Summary.Find(threshold.Key.Metric)?.Definition, threshold.Expression.Stat, threshold.Observed!.Value);

    private static string Ms(double milliseconds) => DisplayFormat.Duration(milliseconds);

    private static string Seconds(TimeSpan time) => DisplayFormat.Duration(time);

    private static string Percent(double share) => DisplayFormat.Percent(share);

    private static string Rate(double perSecond) => perSecond.ToString("0.#", CultureInfo.InvariantCulture) + " req/s";

    private static string Plural(long count, string noun) => Invariant($"{count} {noun}{(count == 1 ? "" : "s")}");

    private static string Times(long count) => count == 1 ? "once" : Invariant($"{count} times");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
