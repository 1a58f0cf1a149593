using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting;

/// <summary>One named check in one group, summed over every series that carries its `check` tag.</summary>
internal sealed record CheckResult(string Group, string Name, long Passes, long Fails)
{
    public long Total => Passes + Fails;

    /// <summary>The group path for people: "outer › inner", "" at the root.</summary>
    public string GroupLabel => Group.TrimStart(':').Replace("::", " › ", StringComparison.Ordinal);
}

internal static class CheckResults
{
    /// <summary>
    /// The checks of a run, in the order their series first appear. The group is k6's `group` tag
    /// ("" at the root, "::outer::inner" for nested groups).
    /// </summary>
    public static IReadOnlyList<CheckResult> From(RunSummary summary)
    {
        var checks = summary.Find(BuiltinMetrics.Checks.Name);
        if (checks is null)
        {
            return [];
        }
        var order = new List<(string Group, string Name)>();
        var totals = new Dictionary<(string Group, string Name), (long Passes, long Samples)>();
        foreach (var series in checks.Series)
        {
            var name = series.Tags["check"];
            if (name is null || series.Values.Samples == 0)
            {
                continue;
            }
            var key = (series.Tags["group"] ?? "", name);
            if (!totals.TryGetValue(key, out var sum))
            {
                order.Add(key);
            }
            totals[key] = (sum.Passes + series.Values.Passes, sum.Samples + series.Values.Samples);
        }
        return [.. order.Select(k => new CheckResult(k.Group, k.Name, totals[k].Passes, totals[k].Samples - totals[k].Passes))];
    }
}
