using System.Globalization;

namespace Surge.Reporting.Compare;

/// <summary>How the text and Markdown renderers write a compared value, its change and a verdict.</summary>
internal static class CompareFormat
{
    public static string Value(ComparedStat stat, double value) => stat switch
    {
        ComparedStat.RequestsPerSecond => value.ToString(value >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture) + "/s",
        ComparedStat.ErrorRate => DisplayFormat.Percent(value),
        _ => DisplayFormat.Duration(value),
    };

    /// <summary>"+12.3%", "-0.8%", "+6493%"; the error rate in percentage points ("+1.50pp") since it is a share already.</summary>
    public static string Change(StatChange change)
    {
        if (change.Stat == ComparedStat.ErrorRate)
        {
            return Signed(change.Delta * 100, "0.00", 2) + "pp";
        }
        if (change.Relative is not { } relative)
        {
            return change.New == 0 ? "0%" : "new";
        }
        var percent = relative * 100;
        return (Math.Abs(percent) < 10 ? Signed(percent, "0.0", 1) : Signed(percent, "0", 0)) + "%";
    }

    /// <summary>A relative tolerance as "10%", an error-rate one as "1.00pp", an infinite one as "off".</summary>
    public static string Tolerance(ComparedStat stat, double tolerance) =>
        double.IsPositiveInfinity(tolerance) ? "off"
        : stat == ComparedStat.ErrorRate
        ? (tolerance * 100).ToString("0.00", CultureInfo.InvariantCulture) + "pp"
        : (tolerance * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    public static string Tolerances(CompareTolerances tolerances)
    {
        var limits = ComparedStats.All.Select(stat =>
            double.IsPositiveInfinity(tolerances.For(stat)) ? $"{ComparedStats.Name(stat)} off"
            : $"{ComparedStats.Name(stat)} {(stat == ComparedStat.RequestsPerSecond ? "-" : "+")}{Tolerance(stat, tolerances.For(stat))}");
        return string.Join(", ", limits)
            + $"; latency changes under {DisplayFormat.Duration(tolerances.LatencyFloorMs)} and endpoints under "
            + tolerances.MinRequests.ToString(CultureInfo.InvariantCulture) + " requests are not judged";
    }

    public static string Verdict(RowVerdict verdict) => verdict switch
    {
        RowVerdict.Regressed => "REGRESSED",
        RowVerdict.Improved => "improved",
        RowVerdict.TooFewSamples => "too few samples",
        RowVerdict.Added => "added",
        RowVerdict.Removed => "removed",
        _ => "ok",
    };

    public static string Verdict(StatVerdict verdict) => verdict switch
    {
        StatVerdict.Regressed => "REGRESSED",
        StatVerdict.Improved => "improved",
        StatVerdict.TooFewSamples => "too few samples",
        _ => "",
    };

    public static string Run(ComparedRun run) =>
        $"{run.Name} (started {DisplayFormat.Timestamp(run.StartedAt)}, {DisplayFormat.Duration(run.Duration)})";

    /// <summary>Each regressed stat of a row: "p95 +6493%, p99 +4100%".</summary>
    public static string Regressions(RowComparison row) => string.Join(", ", row.Changes
        .Where(c => c.Verdict == StatVerdict.Regressed)
        .Select(c => $"{ComparedStats.Name(c.Stat)} {Change(c)}"));

    /// <param name="value">The change to show.</param>
    /// <param name="format">The .NET number format, e.g. "0.0".</param>
    /// <param name="decimals">Must match <paramref name="format"/>, so that a change that rounds to zero shows no sign.</param>
    private static string Signed(double value, string format, int decimals)
    {
        var rounded = Math.Round(value, decimals);
        return rounded == 0 ? 0.0.ToString(format, CultureInfo.InvariantCulture)
            : (rounded > 0 ? "+" : "") + rounded.ToString(format, CultureInfo.InvariantCulture);
    }
}
