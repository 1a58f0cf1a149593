using System.Text;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Reporting.Tests;

public sealed class ResultFileTests
{
    internal static byte[] Bytes(RunSummary summary)
    {
        using var stream = new MemoryStream();
        ResultFile.Write(summary, stream);
        return stream.ToArray();
    }

    private static RunSummary Read(string json) => ResultFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    internal static RunSummary RoundTrip(RunSummary summary) => ResultFile.Read(new MemoryStream(Bytes(summary)));

    /// <summary>Every stored field of two aggregates, histograms by their exact encoding.</summary>
    internal static void AssertSameAggregate(MetricAggregate expected, MetricAggregate actual, bool sameClock = true)
    {
        Assert.Equal(expected.Kind, actual.Kind);
        Assert.Equal(expected.Sum, actual.Sum);
        Assert.Equal(expected.Passes, actual.Passes);
        Assert.Equal(expected.Samples, actual.Samples);
        Assert.Equal(expected.Last, actual.Last);
        if (sameClock)
        {
            Assert.Equal(expected.LastTimestamp, actual.LastTimestamp);
        }
        Assert.Equal(expected.GaugeMin, actual.GaugeMin);
        Assert.Equal(expected.GaugeMax, actual.GaugeMax);
        Assert.Equal(expected.Histogram?.ToBase64(), actual.Histogram?.ToBase64());
    }

    internal static void AssertSameMetrics(RunSummary expected, RunSummary actual, bool sameClock = true)
    {
        Assert.Equal(expected.Metrics.Select(m => m.Definition), actual.Metrics.Select(m => m.Definition));
        foreach (var (want, got) in expected.Metrics.Zip(actual.Metrics))
        {
            AssertSameAggregate(want.Total, got.Total, sameClock);
            Assert.Equal(want.Series.Select(s => s.Tags), got.Series.Select(s => s.Tags));
            foreach (var (wantSeries, gotSeries) in want.Series.Zip(got.Series))
            {
                AssertSameAggregate(wantSeries.Values, gotSeries.Values, sameClock);
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
        var summary = run.Build([Runs.Browse with { FailedIterations = 3 }, Runs.Orders], Runs.TypicalThresholds) with
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
    public void A_round_trip_keeps_a_custom_trends_per_slice_histogram_and_a_corrupt_one_is_a_format_error()
    {
        var summary = Runs.TypicalSummary() with { Timeline = Timelines.WithCustomMetrics(Runs.TypicalTimeline()) };

        var back = RoundTrip(summary).Timeline;

        Assert.Equal(summary.Timeline.Select(p => p.Series[Timelines.CheckoutTime.Name]), back.Select(p => p.Series[Timelines.CheckoutTime.Name]));
        Assert.Equal(95, back[0].Series[Timelines.CheckoutTime.Name].Percentile(95)!.Value, 95 / 1024.0);
        var encoded = summary.Timeline[0].Series[Timelines.CheckoutTime.Name].EncodedHistogram!;
        var corrupt = Encoding.UTF8.GetString(Bytes(summary)).Replace(encoded, "AQ==", StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => Read(corrupt));
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
    public void A_version_1_file_still_reads_with_its_slices_stamped_from_the_run_start()
    {
        var summary = Runs.TypicalSummary() with { Timeline = Runs.TypicalTimeline() };
        var json = Encoding.UTF8.GetString(Bytes(summary)).Replace("\"version\": 2", "\"version\": 1", StringComparison.Ordinal);
        json = System.Text.RegularExpressions.Regex.Replace(json, """(?<="length": "[^"]+",)\s*"startedAt": "[^"]+",""", "");
        json = System.Text.RegularExpressions.Regex.Replace(json, """\s*"(endedAt|vusMax|clockOrigin|clockFrequency|allowNoData)": [^,\n]+,""", "");
        Assert.DoesNotContain("endedAt", json, StringComparison.Ordinal);

        var back = Read(json);

        Assert.Equal(summary.StartedAt + TimeSpan.FromSeconds(3), back.Timeline[3].StartedAt);
        Assert.Equal(1000, back.Find("http_reqs")!.Total.Sum);
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
        var newer = Assert.Throws<FormatException>(() => Read("""{"format": "surge-result", "version": 3}"""));

        Assert.Contains("$.format", other.Message, StringComparison.Ordinal);
        Assert.Contains("$.version", newer.Message, StringComparison.Ordinal);
        Assert.Contains("version 3 was written by a newer Surge", newer.Message, StringComparison.Ordinal);
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
