using System.Text;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Tests;

public sealed class ResultFileTests
{
    private static byte[] Bytes(RunSummary summary)
    {
        using var stream = new MemoryStream();
        ResultFile.Write(summary, stream);
        return stream.ToArray();
    }

    private static RunSummary Read(string json) => ResultFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    private static RunSummary RoundTrip(RunSummary summary) => ResultFile.Read(new MemoryStream(Bytes(summary)));

    /// <summary>Every stored field of two aggregates, histograms by their exact encoding.</summary>
    private static void AssertSameAggregate(MetricAggregate expected, MetricAggregate actual)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Sum, actual.Sum);
        Assert.Equal(expected.Passes, actual.Passes);
        Assert.Equal(expected.Samples, actual.Samples);
        Assert.Equal(expected.Last, actual.Last);
        Assert.Equal(expected.LastTimestamp, actual.LastTimestamp);
        Assert.Equal(expected.GaugeMin, actual.GaugeMin);
        Assert.Equal(expected.GaugeMax, actual.GaugeMax);
        Assert.Equal(expected.Histogram?.ToBase64(), actual.Histogram?.ToBase64());
    }

    private static void AssertSameMetrics(RunSummary expected, RunSummary actual)
    {
        Assert.Equal(expected.Metrics.Select(m => m.Definition), actual.Metrics.Select(m => m.Definition));
        foreach (var (want, got) in expected.Metrics.Zip(actual.Metrics))
        {
            AssertSameAggregate(want.Total, got.Total);
            Assert.Equal(want.Series.Select(s => s.Tags), got.Series.Select(s => s.Tags));
            foreach (var (wantSeries, gotSeries) in want.Series.Zip(got.Series))
            {
                AssertSameAggregate(wantSeries.Values, gotSeries.Values);
            }
        }
    }

    [Fact]
    public void A_round_trip_preserves_every_number()
    {
        var run = Runs.Typical();
        run.Series(BuiltinMetrics.DataSent).AddCounter(0.1 + 0.2); // not a short decimal
        run.Series(new MetricDefinition("queue_depth", MetricKind.Gauge)); // empty gauge: infinite extremes
        run.Series(new MetricDefinition("ratio", MetricKind.Gauge), ("id", "x")).SetGauge(Math.PI, long.MaxValue);
        var summary = run.Build([Runs.Browse, Runs.Orders], Runs.TypicalThresholds) with
        {
            StartedAt = new DateTimeOffset(2026, 11, 21, 5, 0, 0, TimeSpan.FromHours(2)).AddTicks(1234567),
            Duration = TimeSpan.FromTicks(123_456_789_012),
            Outcome = RunOutcome.AbortedByThreshold,
            SummaryTrendStats = ["p(99.99)", "count"],
            Warnings = ["first", "second: ünïcode ✓ <tag>"],
        };

        var back = RoundTrip(summary);

        Assert.Equal(summary.StartedAt, back.StartedAt);
        Assert.Equal(summary.StartedAt.Offset, back.StartedAt.Offset);
        Assert.Equal(summary.Duration, back.Duration);
        Assert.Equal(summary.Outcome, back.Outcome);
        Assert.Equal(summary.SummaryTrendStats, back.SummaryTrendStats);
        Assert.Equal(summary.Warnings, back.Warnings);
        Assert.Equal(summary.Scenarios, back.Scenarios);
        Assert.Equal(summary.Thresholds, back.Thresholds);
        AssertSameMetrics(summary, back);
        Assert.Equal(Bytes(summary), Bytes(back));
    }

    [Fact]
    public void A_round_trip_preserves_the_timeline()
    {
        var timeline = Runs.TypicalTimeline();
        var summary = Runs.TypicalSummary() with { Timeline = timeline };

        var back = RoundTrip(summary).Timeline;

        Assert.Equal(timeline.Count, back.Count);
        foreach (var (want, got) in timeline.Zip(back))
        {
            Assert.Equal(want with { Statuses = got.Statuses }, got);
            Assert.Equal(want.Statuses, got.Statuses);
        }
        Assert.Equal(Bytes(summary), Bytes(RoundTrip(summary)));
    }

    [Fact]
    public void A_round_trip_preserves_the_verify_results_and_a_file_without_them_reads_as_none()
    {
        IntegrityResult[] verifications =
        [
            new("orders") { Acknowledged = 400, OnServer = 1, DuplicatesAcknowledged = 392, Missing = 7 },
            IntegrityResult.Failed("carts", 3, "GET /carts for the server's records failed: status 500"),
        ];
        var summary = Runs.TypicalSummary() with { Verifications = verifications };

        Assert.Equal(verifications, RoundTrip(summary).Verifications);
        var json = Encoding.UTF8.GetString(Bytes(summary));
        Assert.Empty(Read(json[..json.IndexOf(",\n  \"verifications\"", StringComparison.Ordinal)] + "\n}").Verifications);
    }

    [Fact]
    public void A_round_trip_preserves_the_per_slice_series_and_a_point_without_them_reads_as_none()
    {
        var timeline = Runs.TypicalTimeline();
        var withSeries = timeline[0] with
        {
            Series = new Dictionary<string, SliceStats>
            {
                [BuiltinMetrics.GeneratorCpu.Name] = new(2, 1.85, 0.9, 0.95),
                [BuiltinMetrics.GcPause.Name] = new(2, 0.125, 0, 0.125),
            },
        };
        var summary = Runs.TypicalSummary() with { Timeline = [withSeries, .. timeline.Skip(1)] };

        var back = RoundTrip(summary).Timeline;

        Assert.Equal(withSeries.Series, back[0].Series);
        Assert.Same(TimelinePoint.NoSeries, back[1].Series);
        Assert.Equal(Bytes(summary), Bytes(RoundTrip(summary)));
    }

    [Fact]
    public void A_file_written_before_timelines_reads_as_a_run_without_one()
    {
        var json = Encoding.UTF8.GetString(Bytes(Runs.TypicalSummary() with { Timeline = Runs.TypicalTimeline() }));
        var withoutTimeline = json[..json.IndexOf(",\n  \"timeline\"", StringComparison.Ordinal)] + "\n}";

        var summary = Read(withoutTimeline);

        Assert.Empty(summary.Timeline);
        Assert.Equal(1000, summary.Find("http_reqs")!.Total.Sum);
    }

    [Fact]
    public void A_corrupt_timeline_histogram_is_a_format_error_naming_the_point()
    {
        var json = Encoding.UTF8.GetString(Bytes(Runs.TypicalSummary() with { Timeline = [Runs.TypicalTimeline()[0]] }));
        var corrupt = json.Replace(Runs.TypicalTimeline()[0].EncodedDuration, "AQ==", StringComparison.Ordinal);

        var error = Assert.Throws<FormatException>(() => Read(corrupt));

        Assert.Contains("$.timeline[0].duration", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merging_machines_drops_the_timeline_because_their_slices_do_not_line_up()
    {
        var part = Runs.TypicalSummary() with { Timeline = Runs.TypicalTimeline() };

        Assert.Empty(ResultFile.Merge([part, part]).Timeline);
        Assert.Equal(part.Timeline, ResultFile.Merge([part]).Timeline);
    }

    [Fact]
    public void A_threshold_without_data_keeps_its_missing_observation()
    {
        var run = Runs.Typical();
        var summary = run.Build([Runs.Browse], [("http_req_duration{name:nothing}", "p(95)<100", false)]);

        var threshold = Assert.Single(RoundTrip(summary).Thresholds);

        Assert.Null(threshold.Observed); // the filter matched no series: no data, which fails
        Assert.False(threshold.Passed);
        Assert.Equal(summary.Thresholds[0], threshold);
        var allowed = summary.Thresholds[0] with { Passed = true };
        Assert.Equal(allowed, Assert.Single(RoundTrip(summary with { Thresholds = [allowed] }).Thresholds));
    }

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
            machine.Series(BuiltinMetrics.Vus).SetGauge(ms % 17, timestamp: ms);
            everything.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(ms * 1.5);
            everything.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
            everything.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(ms % 3 == 0);
            everything.Series(BuiltinMetrics.Vus).SetGauge(ms % 17, timestamp: ms);
        }
        Runs.Typical(machineA);
        var partA = RoundTrip(machineA.Build([Runs.Browse, Runs.Orders], Runs.TypicalThresholds));
        var partB = RoundTrip(machineB.Build([Runs.Orders with { CompletedIterations = 50, MaxDuration = TimeSpan.FromMinutes(5) }]));

        var merged = ResultFile.Merge([partA, partB]);

        var expected = everything.Build(
            [Runs.Browse, Runs.Orders with { MaxVus = 40, CompletedIterations = 250, MaxDuration = TimeSpan.FromMinutes(5), DroppedIterations = 14 }],
            Runs.TypicalThresholds) with
        {
            StartedAt = machineB.StartedAt,
            Duration = TimeSpan.FromSeconds(10),
        };
        Assert.Equal(expected.StartedAt, merged.StartedAt);
        Assert.Equal(expected.Duration, merged.Duration);
        Assert.Equal(expected.Scenarios, merged.Scenarios);
        Assert.Equal(partA.Thresholds, merged.Thresholds); // kept from the first part; the caller re-evaluates
        Assert.Equal(3 + 4, merged.Find("http_req_duration")!.Series.Count); // Typical's series and the 2 × 2 split ones
        Assert.Equal(1000 + 1000, merged.Find("http_reqs")!.Total.Sum);
        AssertSameMetrics(Sorted(expected), Sorted(merged));
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

    [Fact]
    public void Merging_keeps_the_most_severe_outcome_and_every_warning_once()
    {
        var part = Runs.TypicalSummary();

        var merged = ResultFile.Merge([part, part with { Outcome = RunOutcome.Interrupted, Warnings = ["late", .. part.Warnings] }]);

        Assert.Equal(RunOutcome.Interrupted, merged.Outcome);
        Assert.Equal([.. part.Warnings, "late"], merged.Warnings);
    }

    [Fact]
    public void Merging_nothing_is_an_error()
    {
        Assert.Throws<ArgumentException>(() => ResultFile.Merge([]));
    }

    [Fact]
    public void Text_that_is_not_JSON_is_a_format_error()
    {
        var error = Assert.Throws<FormatException>(() => Read("{\"format\": \"surge-result\", "));

        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_of_another_format_or_version_is_refused()
    {
        var other = Assert.Throws<FormatException>(() => Read("""{"format": "k6-summary", "version": 1}"""));
        var newer = Assert.Throws<FormatException>(() => Read("""{"format": "surge-result", "version": 2}"""));

        Assert.Contains("$.format", other.Message, StringComparison.Ordinal);
        Assert.Contains("$.version", newer.Message, StringComparison.Ordinal);
        Assert.Contains("version 2 is not supported", newer.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"kind\": \"trend\"", "\"kind\": \"histogram\"", "$.metrics[0].kind")]
    [InlineData("\"maxVus\": 10", "\"maxVus\": \"ten\"", "$.scenarios[0].maxVus")]
    [InlineData("\"expression\": \"p(95)<975\"", "\"expression\": \"p95 under 975\"", "$.thresholds[0].expression")]
    [InlineData("\"duration\": \"00:00:10\"", "\"duration\": \"10 seconds\"", "$.duration")]
    [InlineData("\"histogram\": \"A", "\"histogram\": \"#A", "$.metrics[0].total.histogram")]
    [InlineData("\"passes\": 100,", "\"passes\": 5000,", "$.metrics[2].total.passes")]
    [InlineData("\"samples\": 1000", "\"samples\": -1", "$.metrics[1].total.samples")]
    [InlineData("\"warnings\": [", "\"warnings\": [1, ", "$.warnings[0]")]
    [InlineData("\"startedAt\"", "\"startedOn\"", "missing property 'startedAt'")]
    public void A_corrupt_file_names_what_is_wrong_and_where(string original, string corrupted, string expected)
    {
        var json = Encoding.UTF8.GetString(Bytes(Runs.TypicalSummary()));
        var index = json.IndexOf(original, StringComparison.Ordinal);
        Assert.True(index >= 0, $"the fixture file has no {original}");
        var corrupt = json[..index] + corrupted + json[(index + original.Length)..];

        var error = Assert.Throws<FormatException>(() => Read(corrupt));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
