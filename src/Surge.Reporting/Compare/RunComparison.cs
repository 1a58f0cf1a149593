using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Compare;

public enum StatVerdict
{
    Unchanged,
    Improved,
    Regressed,

    /// <summary>An endpoint with too few requests in one of the runs: the change is shown, not judged.</summary>
    TooFewSamples,
}

public enum RowVerdict
{
    Unchanged,
    Improved,
    Regressed,
    TooFewSamples,

    /// <summary>Only the new run requested this endpoint.</summary>
    Added,

    /// <summary>Only the base run requested this endpoint.</summary>
    Removed,
}

/// <summary>What one run measured for one row: latencies in milliseconds, the error rate as a share.</summary>
public sealed record RowFigures(long Requests, double RequestsPerSecond, double P50, double P95, double P99, double ErrorRate)
{
    public double Value(ComparedStat stat) => stat switch
    {
        ComparedStat.RequestsPerSecond => RequestsPerSecond,
        ComparedStat.P50 => P50,
        ComparedStat.P95 => P95,
        ComparedStat.P99 => P99,
        _ => ErrorRate,
    };

    public static RowFigures From(EndpointStats endpoint, TimeSpan duration) => new(
        endpoint.Requests,
        endpoint.RequestsPerSecond(duration),
        endpoint.Percentile(50),
        endpoint.Percentile(95),
        endpoint.Percentile(99),
        endpoint.ErrorRate);
}

public sealed record StatChange(ComparedStat Stat, double Base, double New, StatVerdict Verdict)
{
    public double Delta => New - Base;

    /// <summary>The change relative to the base (0.25 is +25%); null when the base is zero.</summary>
    public double? Relative => Base == 0 ? null : (New - Base) / Base;
}

/// <summary>One endpoint (or all requests together) in both runs; a side is null when that run never requested it.</summary>
public sealed record RowComparison(string Endpoint, bool IsTotal, RowFigures? Base, RowFigures? New, IReadOnlyList<StatChange> Changes)
{
    public RowVerdict Verdict =>
        Base is null ? RowVerdict.Added
        : New is null ? RowVerdict.Removed
        : Changes.Any(c => c.Verdict == StatVerdict.Regressed) ? RowVerdict.Regressed
        : Changes.Any(c => c.Verdict == StatVerdict.TooFewSamples) ? RowVerdict.TooFewSamples
        : Changes.Any(c => c.Verdict == StatVerdict.Improved) ? RowVerdict.Improved
        : RowVerdict.Unchanged;

    public StatChange? Change(ComparedStat stat) => Changes.FirstOrDefault(c => c.Stat == stat);
}

/// <summary>Which run a side of the comparison is: a display name (usually the file) and when and how it ran.</summary>
public sealed record ComparedRun(string Name, DateTimeOffset StartedAt, TimeSpan Duration, RunOutcome Outcome);

/// <summary>
/// Two runs side by side: the all-requests row, then every endpoint of the new run (busiest first), then the
/// endpoints only the base run had. Every renderer (text, Markdown, JSON) reads this and nothing else.
/// </summary>
public sealed record RunComparison
{
    public const string TotalLabel = "all requests";

    public required ComparedRun Base { get; init; }

    public required ComparedRun New { get; init; }

    public required CompareTolerances Tolerances { get; init; }

    public required RowComparison Total { get; init; }

    public required IReadOnlyList<RowComparison> Endpoints { get; init; }

    /// <summary>Differences between the runs that make the numbers less comparable (a stopped run, other scenarios).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public IEnumerable<RowComparison> Rows => Endpoints.Prepend(Total);

    /// <summary>True when some row, or all requests together, got worse beyond tolerance: the CI verdict.</summary>
    public bool Regressed => Rows.Any(r => r.Verdict == RowVerdict.Regressed);

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
