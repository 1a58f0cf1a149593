using Surge.Engine;
using Surge.Metrics;
using Surge.Plans;
using Surge.Thresholds;

namespace Surge.Results;

/// <summary>Results that cannot be merged: different plans, or thresholds that disagree. The message names the difference.</summary>
public sealed class MergeException(string message) : Exception(message);

/// <summary>
/// Combines the results of one test run on several machines into the result one machine measuring everything would
/// have written. Counters, rates and histograms add exactly. Anything in time is aligned by the wall clock, never by
/// the machines' monotonic clocks (which share no origin): timelines slice by slice, VU gauges as the sum of every
/// machine's VUs in each slice, other gauges by the wall-clock time of their last value. Thresholds are judged again
/// on the merged whole.
/// </summary>
public static class ResultMerge
{
    /// <summary>Gauges that count what each machine runs, so that the whole is the sum of the machines.</summary>
    private static readonly Dictionary<string, Func<TimelinePoint, int>> SummedGauges = new(StringComparer.Ordinal)
    {
        [BuiltinMetrics.Vus.Name] = p => p.Vus,
        [BuiltinMetrics.VusMax.Name] = p => p.VusMax,
    };

    /// <param name="parts">The results, in the order given.</param>
    /// <param name="sources">Where each came from (a file name), for messages and the merged result's parts.</param>
    public static RunSummary Merge(IReadOnlyList<RunSummary> parts, IReadOnlyList<string> sources)
    {
        ArgumentOutOfRangeException.ThrowIfZero(parts.Count, nameof(parts));
        ArgumentOutOfRangeException.ThrowIfNotEqual(sources.Count, parts.Count, nameof(sources));
        var warnings = CheckSamePlan(parts, sources);
        var thresholds = CheckSameThresholds(parts, sources);
        var leaves = parts.SelectMany((p, i) => p.Parts.Count > 0 ? p.Parts : [AsPart(p, sources[i])]).ToList();
        warnings.AddRange(CheckEachShareOnce(leaves));
        var startedAt = parts.Min(p => p.StartedAt);
        var duration = parts.Max(p => p.StartedAt + p.Duration) - startedAt;
        var alignment = TimelineAlignment.Of(parts, startedAt);
        var outcome = parts.Select(p => p.Outcome).MaxBy(Severity);
        var stopped = parts.Select((p, i) => (Part: p, Source: sources[i])).Where(p => p.Part.Outcome == RunOutcome.Interrupted).ToList();
        var merged = new RunSummary
        {
            StartedAt = startedAt,
            Duration = duration,
            ClockOrigin = 0,
            Outcome = outcome,
            StoppedBy = outcome == RunOutcome.Interrupted
                ? string.Join("; ", stopped.Select(p => $"{p.Part.StoppedBy ?? "by a signal"} ({p.Source})"))
                : null,
            Plan = parts.Select(p => p.Plan).FirstOrDefault(p => p is not null),
            Parts = leaves,
            SummaryTrendStats = parts[0].SummaryTrendStats,
            Scenarios = MergeScenarios(parts),
            Metrics = MergeMetrics(parts, startedAt, alignment, warnings),
            Timeline = alignment.Timeline,
            Verifications = [.. parts.SelectMany(p => p.Verifications)],
            Warnings = [.. parts.SelectMany(p => p.Warnings).Concat(warnings).Distinct(StringComparer.Ordinal)],
            Thresholds = [],
        };
        return merged with { Thresholds = ThresholdEvaluator.Evaluate(thresholds, merged.Aggregate, merged.Duration) };
    }

    private static RunPart AsPart(RunSummary part, string source) => new()
    {
        Source = source,
        StartedAt = part.StartedAt,
        Duration = part.Duration,
        Outcome = part.Outcome,
        StoppedBy = part.StoppedBy,
        Segment = part.Segment,
        SegmentSequence = part.SegmentSequence,
    };

    /// <summary>
    /// Refuses parts that measured some share of the test twice: the same run given twice, a whole run beside segments,
    /// overlapping segments or segments of different sequences. Segments that leave a share unmeasured merge, with a
    /// warning naming what is missing: totals and thresholds then judge that share.
    /// </summary>
    private static List<string> CheckEachShareOnce(IReadOnlyList<RunPart> parts)
    {
        for (var i = 0; i < parts.Count; i++)
        {
            for (var j = i + 1; j < parts.Count; j++)
            {
                if (parts[i].StartedAt == parts[j].StartedAt && parts[i].Duration == parts[j].Duration)
                {
                    throw new MergeException($"{parts[i].Source} and {parts[j].Source} are the same run (same start and duration); merged, it would count twice");
                }
            }
        }
        var whole = parts.Where(p => p.Segment is null).ToList();
        var segmented = parts.Where(p => p.Segment is not null).ToList();
        if (segmented.Count == 0)
        {
            return [];
        }
        if (whole.Count > 0)
        {
            throw new MergeException(
                $"{whole[0].Source} ran the whole test and {segmented[0].Source} only its segment {segmented[0].Segment}; merged, that segment would count twice");
        }
        if (segmented.FirstOrDefault(p => p.SegmentSequence != segmented[0].SegmentSequence) is { } other)
        {
            throw new MergeException(
                $"{segmented[0].Source} and {other.Source} cut the test by different segment sequences ({segmented[0].SegmentSequence} and {other.SegmentSequence}), so their shares do not add up");
        }
        static Plans.Segments.ExecutionSegment Read(RunPart part)
        {
            try
            {
                return Plans.Segments.ExecutionSegment.Parse(part.Segment!);
            }
            catch (Plans.Segments.SegmentFormatException exception)
            {
                throw new MergeException($"{part.Source}: its segment '{part.Segment}' is not a segment: {exception.Message}");
            }
        }
        var ordered = segmented.Select(p => (Part: p, Segment: Read(p))).OrderBy(p => p.Segment.From).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Segment.From < ordered[i - 1].Segment.To)
            {
                throw new MergeException(
                    $"{ordered[i - 1].Part.Source} ({ordered[i - 1].Part.Segment}) and {ordered[i].Part.Source} ({ordered[i].Part.Segment}) ran overlapping segments; merged, the overlap would count twice");
            }
        }
        var covered = ordered.Aggregate(Plans.Segments.Fraction.Zero, (sum, p) => sum + p.Segment.Length);
        return covered == Plans.Segments.Fraction.One ? [] :
        [
            $"the parts ran {covered} of the test (segments {string.Join(", ", ordered.Select(p => p.Part.Segment))} of {segmented[0].SegmentSequence}): totals and thresholds judge that share, not the whole test",
        ];
    }

    private static List<string> CheckSamePlan(IReadOnlyList<RunSummary> parts, IReadOnlyList<string> sources)
    {
        var unknown = parts.Select((p, i) => (p.Plan, Source: sources[i])).Where(p => p.Plan is null).Select(p => p.Source).ToList();
        List<string> warnings = unknown.Count == 0 ? [] :
        [
            $"{string.Join(", ", unknown)} {(unknown.Count == 1 ? "does" : "do")} not say which plan {(unknown.Count == 1 ? "it" : "they")} ran (written by an older Surge, or from a plan built in code), so merging could not check that every part ran the same test",
        ];
        int? reference = null;
        for (var i = 0; i < parts.Count; i++)
        {
            if (parts[i].Plan is not { } plan)
            {
                continue;
            }
            if (reference is not { } r)
            {
                reference = i;
                continue;
            }
            if (parts[r].Plan!.Hash != plan.Hash)
            {
                var fields = parts[r].Plan!.Differences(plan);
                throw new MergeException(
                    $"{sources[r]} and {sources[i]} ran different plans, so their results do not add up to one run: "
                    + (fields.Count > 0 ? $"they differ in {string.Join(", ", fields)}" : "their plan hashes differ"));
            }
        }
        return warnings;
    }

    private static List<ThresholdPlan> CheckSameThresholds(IReadOnlyList<RunSummary> parts, IReadOnlyList<string> sources)
    {
        static string Describe(ThresholdResult t) =>
            $"{t.Key}: {t.Expression.Text}{(t.AbortOnFail ? " (abortOnFail)" : "")}{(t.AllowNoData ? " (allowNoData)" : "")}";
        var first = parts[0].Thresholds.Select(Describe).ToList();
        for (var i = 1; i < parts.Count; i++)
        {
            var other = parts[i].Thresholds.Select(Describe).ToList();
            if (first.SequenceEqual(other, StringComparer.Ordinal))
            {
                continue;
            }
            var onlyFirst = first.Except(other, StringComparer.Ordinal).ToList();
            var onlyOther = other.Except(first, StringComparer.Ordinal).ToList();
            var difference = onlyFirst.Count + onlyOther.Count == 0
                ? "the same thresholds in another order"
                : string.Join("; ", [
                    .. onlyFirst.Select(t => $"{sources[0]} has '{t}' and {sources[i]} has not"),
                    .. onlyOther.Select(t => $"{sources[i]} has '{t}' and {sources[0]} has not")]);
            throw new MergeException($"{sources[0]} and {sources[i]} judge different thresholds: {difference}");
        }
        return
        [
            .. parts[0].Thresholds.Select(t => new ThresholdPlan
            {
                Key = t.Key,
                Expression = t.Expression,
                AbortOnFail = t.AbortOnFail,
                AllowNoData = t.AllowNoData,
            }),
        ];
    }

    private static int Severity(RunOutcome outcome) => outcome switch
    {
        RunOutcome.SetupFailed => 3,
        RunOutcome.AbortedByThreshold => 2,
        RunOutcome.Interrupted => 1,
        _ => 0,
    };

    private static List<ScenarioSummary> MergeScenarios(IReadOnlyList<RunSummary> parts)
    {
        var merged = new List<ScenarioSummary>();
        foreach (var scenario in parts.SelectMany(p => p.Scenarios))
        {
            var index = merged.FindIndex(s => s.Name == scenario.Name);
            if (index < 0)
            {
                merged.Add(scenario);
                continue;
            }
            var sum = merged[index];
            merged[index] = sum with
            {
                MaxVus = sum.MaxVus + scenario.MaxVus,
                MaxDuration = sum.MaxDuration > scenario.MaxDuration ? sum.MaxDuration : scenario.MaxDuration,
                CompletedIterations = sum.CompletedIterations + scenario.CompletedIterations,
                InterruptedIterations = sum.InterruptedIterations + scenario.InterruptedIterations,
                FailedIterations = sum.FailedIterations + scenario.FailedIterations,
                DroppedIterations = sum.DroppedIterations + scenario.DroppedIterations,
            };
        }
        return merged;
    }

    private static List<MetricSummary> MergeMetrics(
        IReadOnlyList<RunSummary> parts, DateTimeOffset startedAt, TimelineAlignment alignment, List<string> warnings)
    {
        var order = new List<string>();
        var definitions = new Dictionary<string, MetricDefinition>(StringComparer.Ordinal);
        var contributions = new Dictionary<string, List<(int Part, MetricSummary Metric)>>(StringComparer.Ordinal);
        for (var i = 0; i < parts.Count; i++)
        {
            foreach (var metric in parts[i].Metrics)
            {
                var name = metric.Definition.Name;
                if (!definitions.TryGetValue(name, out var definition))
                {
                    definitions[name] = metric.Definition;
                    contributions[name] = [];
                    order.Add(name);
                }
                else if (definition.Kind != metric.Definition.Kind)
                {
                    throw new MergeException($"metric '{name}' is a {definition.Kind} in one part and a {metric.Definition.Kind} in another");
                }
                contributions[name].Add((i, metric));
            }
        }
        var merged = new List<MetricSummary>();
        foreach (var name in order)
        {
            var definition = definitions[name];
            var found = contributions[name];
            MetricAggregate Combine(IEnumerable<(int Part, MetricAggregate Values)> values)
            {
                var list = values.ToList();
                if (definition.Kind == MetricKind.Gauge && SummedGauges.TryGetValue(name, out var gauge)
                    && alignment.SumBySlice(list.Select(v => v.Part).Distinct().ToList(), gauge) is { } series)
                {
                    return SummedGauge(series, list.Sum(v => v.Values.Samples));
                }
                var total = new MetricAggregate(definition.Kind);
                foreach (var (part, value) in list)
                {
                    total.Merge(definition.Kind == MetricKind.Gauge ? OnWallClock(value, parts[part], startedAt) : value);
                }
                return total;
            }
            if (definition.Kind == MetricKind.Gauge && SummedGauges.ContainsKey(name) && !alignment.Complete)
            {
                warnings.Add($"{name} was merged without a timeline from every part: its min and max are the largest single machine's, not the sum of all machines at one moment");
            }
            var total = Combine(found.Select(f => (f.Part, f.Metric.Total)));
            var tagSets = new List<TagSet>();
            foreach (var tags in found.SelectMany(f => f.Metric.Series).Select(s => s.Tags))
            {
                if (!tagSets.Contains(tags))
                {
                    tagSets.Add(tags);
                }
            }
            var series = tagSets.Select(tags => new MetricSeries(tags, Combine(
                found.SelectMany(f => f.Metric.Series.Where(s => s.Tags.Equals(tags)).Select(s => (f.Part, s.Values))))));
            merged.Add(new MetricSummary(definition, total, [.. series]));
        }
        return merged;
    }

    /// <summary>A copy of a gauge whose last-set time is moved from its machine's monotonic clock onto the merged run's.</summary>
    private static MetricAggregate OnWallClock(MetricAggregate gauge, RunSummary part, DateTimeOffset mergedStart)
    {
        if (gauge.Samples == 0)
        {
            return gauge;
        }
        var setAt = part.StartedAt + MonotonicClock.ToTimeSpan(gauge.LastTimestamp - part.ClockOrigin);
        return MetricAggregate.Restore(MetricKind.Gauge, gauge.Sum, gauge.Passes, gauge.Samples, gauge.Last,
            MonotonicClock.FromTimeSpan(setAt - mergedStart), gauge.GaugeMin, gauge.GaugeMax, histogram: null);
    }

    /// <summary>A gauge from its merged series: its last value, and the extremes of the series.</summary>
    private static MetricAggregate SummedGauge(IReadOnlyList<(TimeSpan At, int Value)> series, long samples)
    {
        if (series.Count == 0)
        {
            return new MetricAggregate(MetricKind.Gauge);
        }
        var (at, last) = series[^1];
        return MetricAggregate.Restore(MetricKind.Gauge, 0, 0, samples, last, MonotonicClock.FromTimeSpan(at),
            series.Min(s => s.Value), series.Max(s => s.Value), histogram: null);
    }
}
