using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Compare;

/// <summary>How one statistic of one endpoint changed, judged against its tolerance.</summary>
public enum StatVerdict
{
    /// <summary>Within tolerance, or a latency change below <see cref="CompareTolerances.LatencyFloorMs"/>.</summary>
    Unchanged,

    /// <summary>Better beyond tolerance: faster, more throughput or fewer errors.</summary>
    Improved,

    /// <summary>Worse beyond tolerance; any regression makes the comparison fail (exit 99 in `surge compare`).</summary>
    Regressed,

    /// <summary>An endpoint with too few requests in one of the runs: the change is shown, not judged.</summary>
    TooFewSamples,
}

/// <summary>One endpoint's verdict, from its statistics' verdicts: the worst of them wins.</summary>
public enum RowVerdict
{
    /// <summary>Every statistic within tolerance.</summary>
    Unchanged,

    /// <summary>Some statistic improved and none regressed.</summary>
    Improved,

    /// <summary>Some statistic regressed beyond tolerance.</summary>
    Regressed,

    /// <summary>Fewer than <see cref="CompareTolerances.MinRequests"/> requests in a run: throughput and latency are not judged.</summary>
    TooFewSamples,

    /// <summary>Only the new run requested this endpoint.</summary>
    Added,

    /// <summary>Only the base run requested this endpoint.</summary>
    Removed,
}

/// <summary>What one run measured for one row: latencies in milliseconds, the error rate as a share.</summary>
/// <param name="Requests">The requests made (http_reqs).</param>
/// <param name="RequestsPerSecond">Requests divided by the run's duration.</param>
/// <param name="P50">The median of http_req_duration, in milliseconds.</param>
/// <param name="P95">The 95th percentile of http_req_duration, in milliseconds.</param>
/// <param name="P99">The 99th percentile of http_req_duration, in milliseconds.</param>
/// <param name="ErrorRate">The share of failed requests, 0 to 1.</param>
public sealed record RowFigures(long Requests, double RequestsPerSecond, double P50, double P95, double P99, double ErrorRate)
{
    /// <summary>The figure of one statistic.</summary>
    public double Value(ComparedStat stat) => stat switch
    {
        ComparedStat.RequestsPerSecond => RequestsPerSecond,
        ComparedStat.P50 => P50,
        ComparedStat.P95 => P95,
        ComparedStat.P99 => P99,
        _ => ErrorRate,
    };

    internal static RowFigures From(EndpointStats endpoint, TimeSpan duration) => new(
        endpoint.Requests,
        endpoint.RequestsPerSecond(duration),
        endpoint.Percentile(50),
        endpoint.Percentile(95),
        endpoint.Percentile(99),
        endpoint.ErrorRate);
}

/// <summary>One statistic of one endpoint in both runs, and its verdict.</summary>
/// <param name="Stat">The statistic.</param>
/// <param name="Base">Its value in the base run, in the unit of <see cref="RowFigures"/>.</param>
/// <param name="New">Its value in the new run.</param>
/// <param name="Verdict">The change judged against the statistic's tolerance.</param>
public sealed record StatChange(ComparedStat Stat, double Base, double New, StatVerdict Verdict)
{
    /// <summary>The change in absolute terms: New minus Base (milliseconds for latency, a share for the error rate).</summary>
    public double Delta => New - Base;

    /// <summary>The change relative to the base (0.25 is +25%); null when the base is zero.</summary>
    public double? Relative => Base == 0 ? null : (New - Base) / Base;
}

/// <summary>One endpoint (or all requests together) in both runs; a side is null when that run never requested it.</summary>
/// <param name="Endpoint">"METHOD name" as the reports label endpoints, or <see cref="RunComparison.TotalLabel"/>.</param>
/// <param name="IsTotal">True for the row of all requests together.</param>
/// <param name="Base">The base run's figures; null when only the new run requested the endpoint.</param>
/// <param name="New">The new run's figures; null when only the base run requested it.</param>
/// <param name="Changes">One change per statistic; empty when a side is null.</param>
public sealed record RowComparison(string Endpoint, bool IsTotal, RowFigures? Base, RowFigures? New, IReadOnlyList<StatChange> Changes)
{
    /// <summary>The row's verdict: Added or Removed when a side is missing, else the worst of its changes.</summary>
    public RowVerdict Verdict =>
        Base is null ? RowVerdict.Added
        : New is null ? RowVerdict.Removed
        : Changes.Any(c => c.Verdict == StatVerdict.Regressed) ? RowVerdict.Regressed
        : Changes.Any(c => c.Verdict == StatVerdict.TooFewSamples) ? RowVerdict.TooFewSamples
        : Changes.Any(c => c.Verdict == StatVerdict.Improved) ? RowVerdict.Improved
        : RowVerdict.Unchanged;

    /// <summary>The change of one statistic; null when a side is missing.</summary>
    public StatChange? Change(ComparedStat stat) => Changes.FirstOrDefault(c => c.Stat == stat);
}

/// <summary>Which run a side of the comparison is: a display name (usually the file) and when and how it ran.</summary>
/// <param name="Name">How the comparison names the run, e.g. the result file's path.</param>
/// <param name="StartedAt">When the run started, on the wall clock.</param>
/// <param name="Duration">How long it ran; the throughput is requests over this.</param>
/// <param name="Outcome">Whether it completed; a run that did not gets a note.</param>
public sealed record ComparedRun(string Name, DateTimeOffset StartedAt, TimeSpan Duration, RunOutcome Outcome);

/// <summary>
/// Two runs side by side: the all-requests row, then every endpoint of the new run (busiest first), then the
/// endpoints only the base run had. Every renderer (text, Markdown, JSON) reads this and nothing else.
/// </summary>
public sealed record RunComparison
{
    /// <summary>The <see cref="RowComparison.Endpoint"/> of the row of all requests together.</summary>
    public const string TotalLabel = "all requests";

    /// <summary>The run compared against.</summary>
    public required ComparedRun Base { get; init; }

    /// <summary>The run judged.</summary>
    public required ComparedRun New { get; init; }

    /// <summary>The tolerances every change was judged with.</summary>
    public required CompareTolerances Tolerances { get; init; }

    /// <summary>All HTTP requests together (http_reqs, http_req_duration, http_req_failed).</summary>
    public required RowComparison Total { get; init; }

    /// <summary>The new run's endpoints, busiest first, then those only the base run requested.</summary>
    public required IReadOnlyList<RowComparison> Endpoints { get; init; }

    /// <summary>Differences between the runs that make the numbers less comparable (a stopped run, other scenarios).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary><see cref="Total"/> followed by <see cref="Endpoints"/>, as the renderers list them.</summary>
    public IEnumerable<RowComparison> Rows => Endpoints.Prepend(Total);

    /// <summary>True when some row, or all requests together, got worse beyond tolerance: the CI verdict.</summary>
    public bool Regressed => Rows.Any(r => r.Verdict == RowVerdict.Regressed);

    /// <summary>
    /// Compares two runs endpoint by endpoint, e.g. two result files read with <see cref="ResultFile.Read(Stream)"/>.
    /// Endpoints match by method and name.
    /// </summary>
    /// <param name="baseRun">The run compared against, e.g. the last good build's.</param>
    /// <param name="newRun">The run judged.</param>
    /// <param name="tolerances">How far each statistic may drift; <c>new CompareTolerances()</c> for the defaults.</param>
    /// <param name="baseName">How the renderers name the base run.</param>
    /// <param name="newName">How the renderers name the new run.</param>
    public static RunComparison Of(RunSummary baseRun, RunSummary newRun, CompareTolerances tolerances, string baseName = "base", string newName = "new")
    {
        var baseEndpoints = EndpointTable.From(baseRun);
        var newEndpoints = EndpointTable.From(newRun);
        var endpoints = new List<RowComparison>();
        foreach (var endpoint in newEndpoints)
        {
            var before = baseEndpoints.FirstOrDefault(b => b.Label == endpoint.Label);
            endpoints.Add(Row(endpoint.Label, false, before is null ? null : RowFigures.From(before, baseRun.Duration), RowFigures.From(endpoint, newRun.Duration), tolerances));
        }
        foreach (var removed in baseEndpoints.Where(b => newEndpoints.All(n => n.Label != b.Label)))
        {
            endpoints.Add(Row(removed.Label, false, RowFigures.From(removed, baseRun.Duration), null, tolerances));
        }
        return new RunComparison
        {
            Base = Describe(baseRun, baseName),
            New = Describe(newRun, newName),
            Tolerances = tolerances,
            Total = Row(TotalLabel, true, AllRequests(baseRun), AllRequests(newRun), tolerances),
            Endpoints = endpoints,
            Notes = Differences(baseRun, newRun, baseName, newName),
        };
    }

    private static ComparedRun Describe(RunSummary run, string name) => new(name, run.StartedAt, run.Duration, run.Outcome);

    private static RowFigures AllRequests(RunSummary run)
    {
        var all = new EndpointStats("", TotalLabel)
        {
            Requests = (long)(run.Find(BuiltinMetrics.HttpReqs.Name)?.Total.Sum ?? 0),
            Failures = run.Find(BuiltinMetrics.HttpReqFailed.Name)?.Total.Passes ?? 0,
            Duration = run.Find(BuiltinMetrics.HttpReqDuration.Name)?.Total ?? new MetricAggregate(MetricKind.Trend),
        };
        return RowFigures.From(all, run.Duration);
    }

    private static RowComparison Row(string label, bool isTotal, RowFigures? before, RowFigures? after, CompareTolerances tolerances)
    {
        if (before is null || after is null)
        {
            return new RowComparison(label, isTotal, before, after, []);
        }
        var enough = Math.Min(before.Requests, after.Requests) >= tolerances.MinRequests;
        return new RowComparison(
            label,
            isTotal,
            before,
            after,
            [.. ComparedStats.All.Select(stat => Judge(stat, before.Value(stat), after.Value(stat), enough, tolerances))]);
    }

    private static StatChange Judge(ComparedStat stat, double before, double after, bool enoughSamples, CompareTolerances tolerances)
    {
        var tolerance = tolerances.For(stat);
        var delta = after - before;
        StatVerdict verdict;
        if (stat == ComparedStat.ErrorRate)
        {
            // A share, judged in absolute terms: any run may see the odd failure, a new failure mode shows as a jump.
            verdict = delta > tolerance ? StatVerdict.Regressed : delta < -tolerance ? StatVerdict.Improved : StatVerdict.Unchanged;
        }
        else if (!enoughSamples)
        {
            verdict = StatVerdict.TooFewSamples;
        }
        else if (ComparedStats.IsLatency(stat) && Math.Abs(delta) < tolerances.LatencyFloorMs)
        {
            verdict = StatVerdict.Unchanged;
        }
        else
        {
            // Latency gets worse upwards, throughput downwards.
            var worse = ComparedStats.IsLatency(stat) ? delta : -delta;
            var allowed = before * tolerance;
            verdict = worse > allowed ? StatVerdict.Regressed : worse < -allowed ? StatVerdict.Improved : StatVerdict.Unchanged;
        }
        return new StatChange(stat, before, after, verdict);
    }

    private static List<string> Differences(RunSummary baseRun, RunSummary newRun, string baseName, string newName)
    {
        var notes = new List<string>();
        foreach (var (run, name) in new[] { (baseRun, baseName), (newRun, newName) })
        {
            if (run.Outcome != RunOutcome.Completed)
            {
                notes.Add($"{name} did not complete ({OutcomeText(run.Outcome)}); its numbers cover only part of the test");
            }
        }
        var baseScenarios = baseRun.Scenarios.Select(s => s.Name).Order(StringComparer.Ordinal);
        var newScenarios = newRun.Scenarios.Select(s => s.Name).Order(StringComparer.Ordinal);
        if (!baseScenarios.SequenceEqual(newScenarios, StringComparer.Ordinal))
        {
            notes.Add($"the runs have different scenarios ({baseName}: {string.Join(", ", baseScenarios)}; {newName}: {string.Join(", ", newScenarios)})");
        }
        return notes;
    }

    private static string OutcomeText(RunOutcome outcome) => outcome switch
    {
        RunOutcome.AbortedByThreshold => "aborted by a threshold",
        RunOutcome.Interrupted => "interrupted by a signal",
        RunOutcome.SetupFailed => "setup failed",
        _ => "completed",
    };
}
