using System.Diagnostics;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Tests;

public sealed class ResultMergeTests
{
    private static readonly DateTimeOffset TenOClock = new(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

    private static RunSummary Merge(params RunSummary[] parts) =>
        ResultMerge.Merge(parts, [.. parts.Select((_, i) => $"part{i + 1}.json")]);

    // Another machine's run of the same plan: it started a few milliseconds after the given one.
    private static RunSummary Beside(RunSummary part, int n = 1) => part with { StartedAt = part.StartedAt.AddMilliseconds(n) };

    private static RunSummary Segment(RunSummary part, string segment, string sequence = "0,1/3,2/3,1", int n = 0) =>
        Beside(part, n) with { Segment = segment, SegmentSequence = sequence };

    [Fact]
    public void Merging_two_machines_equals_one_machine_that_recorded_everything()
    {
        // Machine A measured the first half of each series' samples, machine B the second half; B started earlier.
        var everything = Runs.Typical();
        var machineA = new RunBuilder { Duration = TimeSpan.FromSeconds(9) };
        var machineB = new RunBuilder { StartedAt = machineA.StartedAt.AddSeconds(-2), Duration = TimeSpan.FromSeconds(10) };
        for (var ms = 1; ms <= 1000; ms++)
        {
            var machine = ms % 2 == 0 ? machineA : machineB;
            (string, string)[] tags = [("scenario", ms <= 600 ? "browse" : "orders"), ("status", ms % 3 == 0 ? "500" : "200")];
            machine.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(ms * 1.5);
            machine.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
            machine.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(ms % 3 == 0);
            everything.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(ms * 1.5);
            everything.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
            everything.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(ms % 3 == 0);
        }
        Runs.Typical(machineA);
        var partA = ResultFileTests.RoundTrip(machineA.Build([Runs.Browse, Runs.Orders], Runs.TypicalThresholds));
        var partB = ResultFileTests.RoundTrip(machineB.Build(
            [Runs.Orders with { CompletedIterations = 50, FailedIterations = 5, MaxDuration = TimeSpan.FromMinutes(5) }], Runs.TypicalThresholds));

        var merged = Merge(partA, partB);

        var expected = everything.Build(
            [Runs.Browse, Runs.Orders with { MaxVus = 40, CompletedIterations = 250, FailedIterations = 5, MaxDuration = TimeSpan.FromMinutes(5), DroppedIterations = 14 }],
            Runs.TypicalThresholds) with
        {
            StartedAt = machineB.StartedAt,
            Duration = TimeSpan.FromSeconds(9 + 2), // from B's start to A's end, 2 s later
        };
        Assert.Equal(expected.StartedAt, merged.StartedAt);
        Assert.Equal(expected.Duration, merged.Duration);
        Assert.Equal(expected.Scenarios, merged.Scenarios);
        Assert.Equal(3 + 4, merged.Find("http_req_duration")!.Series.Count); // Typical's series and the 2 × 2 split ones
        Assert.Equal(1000 + 1000, merged.Find("http_reqs")!.Total.Sum);
        ResultFileTests.AssertSameMetrics(Sorted(expected), Sorted(merged), sameClock: false);
    }

    [Fact]
    public void The_merged_p95_is_exactly_the_p95_of_one_histogram_holding_every_instances_samples()
    {
        var random = new Random(15);
        var one = new MetricAggregate(MetricKind.Trend);
        var parts = new List<RunSummary>();
        for (var instance = 0; instance < 3; instance++)
        {
            var run = new RunBuilder { StartedAt = TenOClock.AddMilliseconds(instance * 300) };
            // Each instance sees a different latency profile, so no single part's p95 is the whole's.
            for (var i = 0; i < 5000; i++)
            {
                var ms = (random.NextDouble() * 40 * (instance + 1)) + (instance * 25);
                run.Series(BuiltinMetrics.HttpReqDuration, ("name", "list")).AddTrend(ms);
                one.AddTrend(ms);
            }
            parts.Add(ResultFileTests.RoundTrip(run.Build([Runs.Browse], [("http_req_duration", "p(95)<1000", false)])));
        }

        var merged = Merge([.. parts]);

        var p95 = merged.Find("http_req_duration")!.Total.Stat("p(95)", merged.Duration);
        Assert.Equal(one.Stat("p(95)", TimeSpan.Zero), p95);
        Assert.Equal(p95, Assert.Single(merged.Thresholds).Observed);
        Assert.Equal(15000, merged.Find("http_req_duration")!.Total.Histogram!.TotalCount);
        Assert.All(parts, part => Assert.NotEqual(p95, part.Thresholds[0].Observed));
    }

    [Fact]
    public void Thresholds_are_judged_again_on_the_merged_whole_not_taken_from_any_part()
    {
        // Each machine's 1000 requests pass count<1500 on their own; together they are 2000.
        var part = Runs.Typical().Build([Runs.Browse], [("http_reqs", "count<1500", false), ("http_req_duration", "p(95)<975", false)]);
        Assert.True(part.ThresholdsPassed);

        var merged = Merge(part, Beside(part));

        Assert.False(merged.ThresholdsPassed);
        Assert.Equal((2000.0, false), (merged.Thresholds[0].Observed, merged.Thresholds[0].Passed));
        Assert.Equal((part.Thresholds[1].Observed, true), (merged.Thresholds[1].Observed, merged.Thresholds[1].Passed)); // the same samples twice: the same p95
    }

    [Fact]
    public void Results_of_different_plans_are_refused_naming_the_fields_that_differ()
    {
        var part = Runs.TypicalSummary() with
        {
            Plan = new PlanIdentity("aaa", new Dictionary<string, string> { ["scenarios.browse.executor"] = "1", ["http"] = "2" }),
        };
        var other = part with
        {
            Plan = new PlanIdentity("bbb", new Dictionary<string, string> { ["scenarios.browse.executor"] = "9", ["http"] = "2" }),
        };

        var error = Assert.Throws<MergeException>(() => Merge(part, part, other));

        Assert.Equal("part1.json and part3.json ran different plans, so their results do not add up to one run: they differ in scenarios.browse.executor", error.Message);
    }

    [Fact]
    public void Parts_whose_thresholds_disagree_are_refused_naming_the_threshold()
    {
        var part = Runs.TypicalSummary();
        var other = part with { Thresholds = [.. part.Thresholds.Take(2)] };

        var error = Assert.Throws<MergeException>(() => Merge(part, other));

        Assert.Equal("part1.json and part2.json judge different thresholds: part1.json has 'http_req_failed: rate<0.01' and part2.json has not", error.Message);
    }

    [Fact]
    public void Gauges_from_hosts_with_unrelated_monotonic_clocks_merge_by_wall_clock()
    {
        // Host A's Stopwatch reads ~10^15 at its start, host B's ~5: by raw timestamps B's reading would always lose.
        var queue = new MetricDefinition("queue_depth", MetricKind.Gauge);
        long Ticks(double seconds) => (long)(seconds * Stopwatch.Frequency);
        RunSummary Host(DateTimeOffset startedAt, long clockOrigin, double setAfterSeconds, double value, int[] vus)
        {
            var run = new RunBuilder { StartedAt = startedAt, Duration = TimeSpan.FromSeconds(vus.Length) };
            run.Series(queue).SetGauge(value, clockOrigin + Ticks(setAfterSeconds));
            for (var i = 0; i < vus.Length; i++)
            {
                run.Series(BuiltinMetrics.Vus).SetGauge(vus[i], clockOrigin + Ticks(i + 1));
            }
            return run.Build([Runs.Browse]) with
            {
                ClockOrigin = clockOrigin,
                Timeline = [.. vus.Select((v, i) => Point(startedAt, i, v))],
            };
        }
        var hostA = Host(TenOClock, clockOrigin: 1_000_000_000_000_000, setAfterSeconds: 5, value: 7, vus: [2, 4, 6]);
        var hostB = Host(TenOClock.AddSeconds(1.2), clockOrigin: 5, setAfterSeconds: 6.8, value: 3, vus: [1, 1, 1]);

        var merged = Merge(ResultFileTests.RoundTrip(hostA), ResultFileTests.RoundTrip(hostB));

        // B set its value at 10:00:08, A at 10:00:05: B's is the last.
        var depth = merged.Find("queue_depth")!.Total;
        Assert.Equal(3, depth.Last);
        Assert.Equal((3, 7), (depth.GaugeMin, depth.GaugeMax));
        // VUs by wall-clock slice: A alone, then A+B twice, then B alone.
        Assert.Equal([2, 5, 7, 1], merged.Timeline.Select(p => p.Vus));
        var vus = merged.Find("vus")!.Total;
        Assert.Equal((1, 7, 1), (vus.GaugeMin, vus.GaugeMax, vus.Last));
        Assert.Equal(6, vus.Samples);
    }

    [Fact]
    public void Timelines_of_different_widths_align_on_the_coarser_grid_without_losing_a_request()
    {
        // A sliced its run at 1 s (8 slices), B at 2 s (4 slices) after its timeline halved; B started 0.4 s later.
        var a = Runs.TypicalSummary() with { StartedAt = TenOClock, Timeline = [.. Enumerable.Range(0, 8).Select(i => Point(TenOClock, i, 10, requests: 100 + i))] };
        var bStart = TenOClock.AddSeconds(0.4);
        var b = Runs.TypicalSummary() with
        {
            StartedAt = bStart,
            Timeline = [.. Enumerable.Range(0, 4).Select(i => Point(bStart, i * 2, 20, requests: 1000 + i, length: 2))],
        };

        var merged = Merge(ResultFileTests.RoundTrip(a), ResultFileTests.RoundTrip(b));

        Assert.Equal(4, merged.Timeline.Count);
        Assert.Equal(a.Timeline.Sum(p => p.Requests) + b.Timeline.Sum(p => p.Requests), merged.Timeline.Sum(p => p.Requests));
        Assert.Equal([100 + 101 + 1000, 102 + 103 + 1001, 104 + 105 + 1002, 106 + 107 + 1003], merged.Timeline.Select(p => p.Requests));
        Assert.All(merged.Timeline, p => Assert.Equal(30, p.Vus));
        Assert.All(merged.Timeline, p => Assert.Equal(TimeSpan.FromSeconds(2), p.Length));
        Assert.Equal(TenOClock.AddSeconds(0.2), merged.Timeline[0].StartedAt); // between A's 10:00:00 and B's 10:00:00.4
        Assert.Equal(merged.Timeline[0].StartedAt - merged.StartedAt, merged.Timeline[0].Start);
        var durations = new Histogram();
        foreach (var point in a.Timeline.Concat(b.Timeline))
        {
            durations.Add(point.Duration());
        }
        var mergedDurations = new Histogram();
        foreach (var point in merged.Timeline)
        {
            mergedDurations.Add(point.Duration());
        }
        Assert.Equal(durations.ToBase64(), mergedDurations.ToBase64());
    }

    [Fact]
    public void An_interrupted_part_keeps_who_stopped_it_and_every_part_is_listed()
    {
        var part = Runs.TypicalSummary();
        var stopped = Beside(part) with { Outcome = RunOutcome.Interrupted, StoppedBy = "from the dashboard", Warnings = ["late", .. part.Warnings] };

        var merged = ResultFileTests.RoundTrip(Merge(part, stopped, Beside(part, 2) with { Outcome = RunOutcome.Interrupted }));

        Assert.Equal(RunOutcome.Interrupted, merged.Outcome);
        Assert.Equal("from the dashboard (part2.json); by a signal (part3.json)", merged.StoppedBy);
        Assert.Equal(["part1.json", "part2.json", "part3.json"], merged.Parts.Select(p => p.Source));
        Assert.Equal([RunOutcome.Completed, RunOutcome.Interrupted, RunOutcome.Interrupted], merged.Parts.Select(p => p.Outcome));
        Assert.Equal("from the dashboard", merged.Parts[1].StoppedBy);
        Assert.Single(merged.Warnings, w => w == "late");
        Assert.Single(merged.Warnings, w => w == part.Warnings[0]);
    }

    [Fact]
    public void Merging_a_merged_result_again_lists_the_original_parts()
    {
        var part = Runs.TypicalSummary();

        var twice = Merge(Merge(part, Beside(part)), Beside(part, 2));

        Assert.Equal(3, twice.Parts.Count);
        Assert.Equal(3000, twice.Find("http_reqs")!.Total.Sum);
    }

    [Fact]
    public void The_same_run_given_twice_is_refused_because_it_would_count_twice()
    {
        var part = Runs.TypicalSummary();

        var error = Assert.Throws<MergeException>(() => Merge(part, Beside(part), part));

        Assert.Equal("part1.json and part3.json are the same run (same start and duration); merged, it would count twice", error.Message);
    }

    [Fact]
    public void A_merged_result_merged_again_with_one_of_its_parts_is_refused()
    {
        var part = Runs.TypicalSummary();
        var merged = ResultFileTests.RoundTrip(Merge(part, Beside(part)));

        var error = Assert.Throws<MergeException>(() => ResultMerge.Merge([merged, part], ["all.json", "a.json"]));

        Assert.Equal("part1.json and a.json are the same run (same start and duration); merged, it would count twice", error.Message);
    }

    [Fact]
    public void A_whole_run_beside_a_segment_of_the_same_test_is_refused()
    {
        var part = Runs.TypicalSummary();

        var error = Assert.Throws<MergeException>(() => Merge(Segment(part, "0:1/3"), Beside(part, 5)));

        Assert.Equal("part2.json ran the whole test and part1.json only its segment 0:1/3; merged, that segment would count twice", error.Message);
    }

    [Fact]
    public void Overlapping_segments_are_refused_naming_both()
    {
        var part = Runs.TypicalSummary();

        var error = Assert.Throws<MergeException>(() => Merge(Segment(part, "1/3:2/3", "0,1/3,1/2,2/3,1", 1), Segment(part, "0:1/3", "0,1/3,1/2,2/3,1", 2), Segment(part, "1/2:2/3", "0,1/3,1/2,2/3,1", 3)));

        Assert.Equal("part1.json (1/3:2/3) and part3.json (1/2:2/3) ran overlapping segments; merged, the overlap would count twice", error.Message);
    }

    [Fact]
    public void Segments_of_different_sequences_are_refused()
    {
        var part = Runs.TypicalSummary();

        var error = Assert.Throws<MergeException>(() => Merge(Segment(part, "0:1/2", "0,1/2,1", 1), Segment(part, "2/3:1", "0,1/3,2/3,1", 2)));

        Assert.Contains("cut the test by different segment sequences (0,1/2,1 and 0,1/3,2/3,1)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Segments_that_cover_the_test_merge_silently_and_a_missing_one_is_named_in_a_warning()
    {
        var part = Runs.TypicalSummary();
        var thirds = new[] { Segment(part, "0:1/3", n: 1), Segment(part, "1/3:2/3", n: 2), Segment(part, "2/3:1", n: 3) };

        var whole = ResultFileTests.RoundTrip(Merge(thirds));
        var twoThirds = Merge(thirds[0], thirds[2]);

        Assert.DoesNotContain(whole.Warnings, w => w.Contains("segments", StringComparison.Ordinal));
        Assert.Equal(["0:1/3", "1/3:2/3", "2/3:1"], whole.Parts.Select(p => p.Segment));
        Assert.All(whole.Parts, p => Assert.Equal("0,1/3,2/3,1", p.SegmentSequence));
        Assert.Contains("the parts ran 2/3 of the test (segments 0:1/3, 2/3:1 of 0,1/3,2/3,1): totals and thresholds judge that share, not the whole test", twoThirds.Warnings);
    }

    [Fact]
    public void Merging_nothing_is_an_error()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ResultMerge.Merge([], []));
    }

    private static TimelinePoint Point(DateTimeOffset runStart, int second, int vus, long requests = 10, int length = 1)
    {
        var duration = new Histogram();
        for (var i = 0; i < requests; i++)
        {
            duration.Record(MetricAggregate.ToFixed(second + (i % 7)));
        }
        return new TimelinePoint
        {
            Start = TimeSpan.FromSeconds(second),
            Length = TimeSpan.FromSeconds(length),
            StartedAt = runStart.AddSeconds(second),
            Vus = vus,
            Requests = requests,
            EncodedDuration = duration.ToBase64(),
        };
    }

    /// <summary>The same summary with metrics by name and series by tags, for comparing regardless of arrival order.</summary>
    private static RunSummary Sorted(RunSummary summary) => summary with
    {
        Metrics =
        [
            .. summary.Metrics
                .OrderBy(m => m.Definition.Name, StringComparer.Ordinal)
                .Select(m => m with { Series = [.. m.Series.OrderBy(s => s.Tags.ToString(), StringComparer.Ordinal)] }),
        ],
    };
}
