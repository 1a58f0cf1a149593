using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Surge.Metrics;
using Surge.Results;
using Surge.Thresholds;

namespace Surge.Reporting;

/// <summary>
/// Surge's own result file: the whole <see cref="RunSummary"/> as versioned JSON, with every aggregate stored
/// exactly (histograms in full), so that results from several machines can be read back and merged without loss.
/// </summary>
public static class ResultFile
{
    /// <summary>The document's "format" field, by which `surge report`, `compare` and `merge` know a result file.</summary>
    public const string Format = "surge-result";

    /// <summary>2 added the wall-clock stamps (slices, the monotonic clock's origin), the plan's identity and a merge's parts; 1 still reads.</summary>
    public const int Version = 2;

    private static readonly Dictionary<MetricKind, string> KindNames = new()
    {
        [MetricKind.Counter] = "counter",
        [MetricKind.Gauge] = "gauge",
        [MetricKind.Rate] = "rate",
        [MetricKind.Trend] = "trend",
    };

    private static readonly Dictionary<MetricContains, string> ContainsNames = new()
    {
        [MetricContains.Default] = "default",
        [MetricContains.Time] = "time",
        [MetricContains.Data] = "data",
    };

    private static readonly Dictionary<RunOutcome, string> OutcomeNames = new()
    {
        [RunOutcome.Completed] = "completed",
        [RunOutcome.AbortedByThreshold] = "abortedByThreshold",
        [RunOutcome.Interrupted] = "interrupted",
        [RunOutcome.SetupFailed] = "setupFailed",
    };

    /// <summary>Writes the summary as one UTF-8 JSON document (`--result FILE`) that <see cref="Read(Stream)"/> turns back into an equal summary.</summary>
    public static void Write(RunSummary summary, Stream destination)
    {
        using var json = new Utf8JsonWriter(destination, JsonOutput.WriterOptions);
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteNumber("version", Version);
        json.WriteString("startedAt", summary.StartedAt.ToString("O", CultureInfo.InvariantCulture));
        json.WriteString("duration", summary.Duration.ToString("c", CultureInfo.InvariantCulture));
        json.WriteString("outcome", OutcomeNames[summary.Outcome]);
        if (summary.StoppedBy is { } stoppedBy)
        {
            json.WriteString("stoppedBy", stoppedBy);
        }
        json.WriteNumber("clockOrigin", summary.ClockOrigin);
        json.WriteNumber("clockFrequency", Stopwatch.Frequency);
        WriteStrings(json, "summaryTrendStats", summary.SummaryTrendStats);
        WriteStrings(json, "warnings", summary.Warnings);
        WritePlan(json, summary.Plan);
        WriteSegment(json, summary.Segment, summary.SegmentSequence);
        WriteParts(json, summary.Parts);

        json.WriteStartArray("scenarios");
        foreach (var scenario in summary.Scenarios)
        {
            json.WriteStartObject();
            json.WriteString("name", scenario.Name);
            json.WriteString("executor", scenario.Executor);
            json.WriteString("description", scenario.Description);
            json.WriteNumber("maxVus", scenario.MaxVus);
            json.WriteString("maxDuration", scenario.MaxDuration.ToString("c", CultureInfo.InvariantCulture));
            json.WriteNumber("completedIterations", scenario.CompletedIterations);
            json.WriteNumber("interruptedIterations", scenario.InterruptedIterations);
            json.WriteNumber("failedIterations", scenario.FailedIterations);
            json.WriteNumber("droppedIterations", scenario.DroppedIterations);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("thresholds");
        foreach (var threshold in summary.Thresholds)
        {
            json.WriteStartObject();
            json.WriteString("key", threshold.Key.ToString());
            json.WriteString("expression", threshold.Expression.Text);
            if (threshold.Observed is { } observed)
            {
                WriteDouble(json, "observed", observed);
            }
            else
            {
                json.WriteNull("observed");
            }
            json.WriteBoolean("passed", threshold.Passed);
            json.WriteBoolean("abortOnFail", threshold.AbortOnFail);
            json.WriteBoolean("allowNoData", threshold.AllowNoData);
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray("metrics");
        foreach (var metric in summary.Metrics)
        {
            json.WriteStartObject();
            json.WriteString("name", metric.Definition.Name);
            json.WriteString("kind", KindNames[metric.Definition.Kind]);
            json.WriteString("contains", ContainsNames[metric.Definition.Contains]);
            json.WriteString("description", metric.Definition.Description);
            json.WritePropertyName("total");
            WriteAggregate(json, metric.Total);
            json.WriteStartArray("series");
            foreach (var series in metric.Series)
            {
                json.WriteStartObject();
                json.WriteStartObject("tags");
                foreach (var (key, value) in series.Tags)
                {
                    json.WriteString(key, value);
                }
                json.WriteEndObject();
                json.WritePropertyName("values");
                WriteAggregate(json, series.Values);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteTimeline(json, summary.Timeline);
        WriteVerifications(json, summary.Verifications);
        json.WriteEndObject();
    }

    private static void WritePlan(Utf8JsonWriter json, PlanIdentity? plan)
    {
        if (plan is null)
        {
            return;
        }
        json.WriteStartObject("plan");
        json.WriteString("hash", plan.Hash);
        json.WriteStartObject("fields");
        foreach (var (field, hash) in plan.Fields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            json.WriteString(field, hash);
        }
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteSegment(Utf8JsonWriter json, string? segment, string? sequence)
    {
        if (segment is not null)
        {
            json.WriteString("segment", segment);
            json.WriteString("segmentSequence", sequence);
        }
    }

    private static void WriteParts(Utf8JsonWriter json, IReadOnlyList<RunPart> parts)
    {
        if (parts.Count == 0)
        {
            return;
        }
        json.WriteStartArray("parts");
        foreach (var part in parts)
        {
            json.WriteStartObject();
            json.WriteString("source", part.Source);
            json.WriteString("startedAt", part.StartedAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("duration", part.Duration.ToString("c", CultureInfo.InvariantCulture));
            json.WriteString("outcome", OutcomeNames[part.Outcome]);
            if (part.StoppedBy is { } stoppedBy)
            {
                json.WriteString("stoppedBy", stoppedBy);
            }
            WriteSegment(json, part.Segment, part.SegmentSequence);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteVerifications(Utf8JsonWriter json, IReadOnlyList<IntegrityResult> verifications)
    {
        json.WriteStartArray("verifications");
        foreach (var verify in verifications)
        {
            json.WriteStartObject();
            json.WriteString("ledger", verify.Ledger);
            json.WriteNumber("acknowledged", verify.Acknowledged);
            json.WriteNumber("onServer", verify.OnServer);
            json.WriteNumber("duplicatesAcknowledged", verify.DuplicatesAcknowledged);
            json.WriteNumber("duplicatesOnServer", verify.DuplicatesOnServer);
            json.WriteNumber("missing", verify.Missing);
            if (verify.Error is { } error)
            {
                json.WriteString("error", error);
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteTimeline(Utf8JsonWriter json, IReadOnlyList<TimelinePoint> timeline)
    {
        json.WriteStartArray("timeline");
        foreach (var point in timeline)
        {
            json.WriteStartObject();
            json.WriteString("start", point.Start.ToString("c", CultureInfo.InvariantCulture));
            json.WriteString("length", point.Length.ToString("c", CultureInfo.InvariantCulture));
            json.WriteString("startedAt", point.StartedAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteString("endedAt", point.EndedAt.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("vus", point.Vus);
            json.WriteNumber("vusMax", point.VusMax);
            json.WriteNumber("requests", point.Requests);
            json.WriteNumber("failedRequests", point.FailedRequests);
            json.WriteNumber("iterations", point.Iterations);
            json.WriteNumber("droppedIterations", point.DroppedIterations);
            json.WriteNumber("dataSent", point.DataSent);
            json.WriteNumber("dataReceived", point.DataReceived);
            json.WriteStartObject("statuses");
            foreach (var (status, count) in point.Statuses.OrderBy(s => s.Key))
            {
                json.WriteNumber(status.ToString(CultureInfo.InvariantCulture), count);
            }
            json.WriteEndObject();
            json.WriteString("duration", point.EncodedDuration);
            if (point.Series.Count > 0)
            {
                json.WriteStartObject("series");
                foreach (var (metric, stats) in point.Series.OrderBy(s => s.Key, StringComparer.Ordinal))
                {
                    json.WriteStartObject(metric);
                    json.WriteNumber("count", stats.Count);
                    WriteDouble(json, "sum", stats.Sum);
                    WriteDouble(json, "min", stats.Min);
                    WriteDouble(json, "max", stats.Max);
                    if (stats.EncodedHistogram is { } histogram)
                    {
                        json.WriteString("histogram", histogram);
                    }
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    /// <summary>Exactly the state each kind keeps; the other fields of an aggregate never change for that kind.</summary>
    private static void WriteAggregate(Utf8JsonWriter json, MetricAggregate values)
    {
        json.WriteStartObject();
        switch (values.Kind)
        {
            case MetricKind.Counter:
                WriteDouble(json, "sum", values.Sum);
                json.WriteNumber("samples", values.Samples);
                break;
            case MetricKind.Rate:
                json.WriteNumber("passes", values.Passes);
                json.WriteNumber("samples", values.Samples);
                break;
            case MetricKind.Gauge:
                json.WriteNumber("samples", values.Samples);
                WriteDouble(json, "last", values.Last);
                json.WriteNumber("lastTimestamp", values.LastTimestamp);
                WriteDouble(json, "min", values.GaugeMin);
                WriteDouble(json, "max", values.GaugeMax);
                break;
            default:
                json.WriteString("histogram", values.Histogram!.ToBase64());
                break;
        }
        json.WriteEndObject();
    }

    /// <summary>Finite numbers as JSON numbers (shortest round-trip form); NaN and infinities as strings.</summary>
    private static void WriteDouble(Utf8JsonWriter json, string name, double value)
    {
        if (double.IsFinite(value))
        {
            json.WriteNumber(name, value);
        }
        else
        {
            json.WriteString(name, double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }
        json.WriteEndArray();
    }

    /// <summary>Reads a result file; anything malformed throws a FormatException naming the JSON path.</summary>
    public static RunSummary Read(Stream source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(source);
        }
        catch (JsonException ex)
        {
            throw new FormatException(
                $"surge result file: not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {ex.Message}", ex);
        }
        using (document)
        {
            return Read(new JsonField(document.RootElement, "$"));
        }
    }

    private static RunSummary Read(JsonField root)
    {
        var format = root.Required("format");
        if (format.String() != Format)
        {
            throw format.Error($"expected \"{Format}\", found \"{format.String()}\"");
        }
        var version = root.Required("version");
        if (version.Int() is < 1 or > Version)
        {
            throw version.Error(version.Int() > Version
                ? $"version {version.Int()} was written by a newer Surge; this one reads versions 1 to {Version}"
                : $"version {version.Int()} is not a Surge result version");
        }
        var startedAt = ReadDate(root.Required("startedAt"));
        var duration = ReadTimeSpan(root.Required("duration"));
        var frequency = root.Optional("clockFrequency") is { } frequencyField ? ReadCount(frequencyField) : Stopwatch.Frequency;
        if (frequency == 0)
        {
            throw root.Required("clockFrequency").Error("a clock frequency cannot be 0");
        }
        var metrics = root.Required("metrics").Items().Select(m => ReadMetric(m, frequency)).ToList();
        return new RunSummary
        {
            StartedAt = startedAt,
            Duration = duration,
            ClockOrigin = root.Optional("clockOrigin") is { } origin
                ? OnThisClock(origin.Long(), frequency)
                : AssumedClockOrigin(metrics, duration),
            Outcome = ReadName(root.Required("outcome"), OutcomeNames),
            StoppedBy = root.Optional("stoppedBy")?.String(),
            SummaryTrendStats = [.. root.Required("summaryTrendStats").Items().Select(i => i.String())],
            Warnings = [.. root.Required("warnings").Items().Select(i => i.String())],
            Plan = root.Optional("plan") is { } plan ? ReadPlan(plan) : null,
            Parts = root.Optional("parts") is { } parts ? [.. parts.Items().Select(ReadPart)] : [],
            Segment = root.Optional("segment")?.String(),
            SegmentSequence = root.Optional("segmentSequence")?.String(),
            Scenarios = [.. root.Required("scenarios").Items().Select(ReadScenario)],
            Thresholds = [.. root.Required("thresholds").Items().Select(ReadThreshold)],
            Metrics = metrics,

            // Files written before the timeline existed have none; they read as a run without one.
            Timeline = root.Optional("timeline") is { } timeline ? [.. timeline.Items().Select(p => ReadPoint(p, startedAt))] : [],
            Verifications = root.Optional("verifications") is { } verifications ? [.. verifications.Items().Select(ReadVerification)] : [],
        };
    }

    // A clock reading of another machine's Stopwatch, in this machine's ticks (Linux counts nanoseconds, Windows often 100 ns).
    private static long OnThisClock(long ticks, long frequency) =>
        frequency == Stopwatch.Frequency || ticks == long.MinValue ? ticks : (long)(ticks * ((double)Stopwatch.Frequency / frequency));

    // Version 1 kept no clock origin: the run's latest gauge reading is taken as made at its end, which holds for vus
    // (sampled until the load stops) and puts every other gauge within the run.
    private static long AssumedClockOrigin(List<MetricSummary> metrics, TimeSpan duration)
    {
        var latest = metrics.Where(m => m.Definition.Kind == MetricKind.Gauge && !m.Total.IsEmpty).Select(m => m.Total.LastTimestamp).DefaultIfEmpty(0).Max();
        return latest - (long)(duration.TotalSeconds * Stopwatch.Frequency);
    }

    private static PlanIdentity ReadPlan(JsonField plan) => new(
        plan.Required("hash").String(),
        plan.Required("fields").Properties().ToDictionary(p => p.Name, p => p.Value.String(), StringComparer.Ordinal));

    private static RunPart ReadPart(JsonField part) => new()
    {
        Source = part.Required("source").String(),
        StartedAt = ReadDate(part.Required("startedAt")),
        Duration = ReadTimeSpan(part.Required("duration")),
        Outcome = ReadName(part.Required("outcome"), OutcomeNames),
        StoppedBy = part.Optional("stoppedBy")?.String(),
        Segment = part.Optional("segment")?.String(),
        SegmentSequence = part.Optional("segmentSequence")?.String(),
    };

    private static DateTimeOffset ReadDate(JsonField field) =>
        field.Parse(s => DateTimeOffset.ParseExact(s, "O", CultureInfo.InvariantCulture, DateTimeStyles.None), "a round-trip date");

    private static IntegrityResult ReadVerification(JsonField verify) => new(verify.Required("ledger").String())
    {
        Acknowledged = verify.Required("acknowledged").Int(),
        OnServer = verify.Required("onServer").Int(),
        DuplicatesAcknowledged = verify.Required("duplicatesAcknowledged").Int(),
        DuplicatesOnServer = verify.Required("duplicatesOnServer").Int(),
        Missing = verify.Required("missing").Int(),
        Error = verify.Optional("error")?.String(),
    };

    private static TimelinePoint ReadPoint(JsonField point, DateTimeOffset runStartedAt)
    {
        var statuses = new SortedDictionary<int, long>();
        foreach (var (name, count) in point.Required("statuses").Properties())
        {
            statuses[int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var status)
                ? status
                : throw count.Error($"'{name}' is not a status code")] = ReadCount(count);
        }
        var duration = point.Required("duration");

        // Decoded once here so that a corrupt histogram fails the read with its path, not a chart later on.
        duration.Parse(Histogram.FromBase64, "an encoded histogram");
        var start = ReadTimeSpan(point.Required("start"));
        return new TimelinePoint
        {
            Start = start,
            Length = ReadTimeSpan(point.Required("length")),

            // Version 1 stamped no wall-clock time; the run's start plus the slice's offset is what version 2 writes.
            StartedAt = point.Optional("startedAt") is { } startedAt ? ReadDate(startedAt) : runStartedAt + start,
            Vus = point.Required("vus").Int(),
            VusMax = point.Optional("vusMax")?.Int() ?? 0,
            Requests = ReadCount(point.Required("requests")),
            FailedRequests = ReadCount(point.Required("failedRequests")),
            Iterations = ReadCount(point.Required("iterations")),
            DroppedIterations = ReadCount(point.Required("droppedIterations")),
            DataSent = ReadCount(point.Required("dataSent")),
            DataReceived = ReadCount(point.Required("dataReceived")),
            Statuses = statuses,
            EncodedDuration = duration.String(),

            // Points written before per-slice series existed have none.
            Series = point.Optional("series") is { } series ? ReadSeries(series) : TimelinePoint.NoSeries,
        };
    }

    private static SortedDictionary<string, SliceStats> ReadSeries(JsonField series)
    {
        var read = new SortedDictionary<string, SliceStats>(StringComparer.Ordinal);
        foreach (var (metric, stats) in series.Properties())
        {
            read[metric] = new SliceStats(ReadCount(stats.Required("count")), stats.Required("sum").Double(),
                stats.Required("min").Double(), stats.Required("max").Double())
            {
                // Only the test's own trends keep one; files written before they did have none.
                EncodedHistogram = stats.Optional("histogram") is { } histogram
                    ? histogram.Parse(Histogram.FromBase64, "an encoded histogram").ToBase64()
                    : null,
            };
        }
        return read;
    }

    private static ScenarioSummary ReadScenario(JsonField scenario) => new()
    {
        Name = scenario.Required("name").String(),
        Executor = scenario.Required("executor").String(),
        Description = scenario.Required("description").String(),
        MaxVus = scenario.Required("maxVus").Int(),
        MaxDuration = ReadTimeSpan(scenario.Required("maxDuration")),
        CompletedIterations = scenario.Required("completedIterations").Long(),
        InterruptedIterations = scenario.Required("interruptedIterations").Long(),
        // Result files from before the count was kept have none.
        FailedIterations = scenario.Optional("failedIterations")?.Long() ?? 0,
        DroppedIterations = scenario.Required("droppedIterations").Long(),
    };

    private static ThresholdResult ReadThreshold(JsonField threshold) => new(
        threshold.Required("key").Parse(MetricKey.Parse, "a metric key"),
        threshold.Required("expression").Parse(ThresholdExpression.Parse, "a threshold expression"),
        threshold.Required("observed").NullableDouble(),
        threshold.Required("passed").Bool(),
        threshold.Required("abortOnFail").Bool())
    {
        AllowNoData = threshold.Optional("allowNoData")?.Bool() ?? false,
    };

    private static MetricSummary ReadMetric(JsonField metric, long frequency)
    {
        var definition = new MetricDefinition(
            metric.Required("name").String(),
            ReadName(metric.Required("kind"), KindNames),
            ReadName(metric.Required("contains"), ContainsNames),
            metric.Required("description").String());
        var total = ReadAggregate(metric.Required("total"), definition.Kind, frequency);
        var series = new List<MetricSeries>();
        var seen = new HashSet<TagSet>();
        foreach (var item in metric.Required("series").Items())
        {
            var tagsField = item.Required("tags");
            var tags = TagSet.From(tagsField.Properties().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.String())));
            if (!seen.Add(tags))
            {
                throw tagsField.Error($"a second series with tags {{{tags}}}");
            }
            series.Add(new MetricSeries(tags, ReadAggregate(item.Required("values"), definition.Kind, frequency)));
        }
        return new MetricSummary(definition, total, series);
    }

    private static MetricAggregate ReadAggregate(JsonField values, MetricKind kind, long frequency)
    {
        // The fields a kind never touches keep the values of a fresh aggregate.
        var fresh = new MetricAggregate(kind);
        double sum = fresh.Sum, last = fresh.Last, min = fresh.GaugeMin, max = fresh.GaugeMax;
        long passes = fresh.Passes, samples = fresh.Samples, lastTimestamp = fresh.LastTimestamp;
        Histogram? histogram = null;
        switch (kind)
        {
            case MetricKind.Counter:
                sum = values.Required("sum").Double();
                samples = ReadCount(values.Required("samples"));
                break;
            case MetricKind.Rate:
                samples = ReadCount(values.Required("samples"));
                var passesField = values.Required("passes");
                passes = ReadCount(passesField);
                if (passes > samples)
                {
                    throw passesField.Error($"{passes} passes out of only {samples} samples");
                }
                break;
            case MetricKind.Gauge:
                samples = ReadCount(values.Required("samples"));
                last = values.Required("last").Double();
                lastTimestamp = OnThisClock(values.Required("lastTimestamp").Long(), frequency);
                min = values.Required("min").Double();
                max = values.Required("max").Double();
                break;
            default:
                histogram = values.Required("histogram").Parse(Histogram.FromBase64, "an encoded histogram");
                break;
        }
        return MetricAggregate.Restore(kind, sum, passes, samples, last, lastTimestamp, min, max, histogram);
    }

    private static long ReadCount(JsonField field)
    {
        var count = field.Long();
        return count < 0 ? throw field.Error($"a count cannot be negative ({count})") : count;
    }

    private static TimeSpan ReadTimeSpan(JsonField field) =>
        field.Parse(s => TimeSpan.ParseExact(s, "c", CultureInfo.InvariantCulture), "a time span like 00:01:30");

    private static T ReadName<T>(JsonField field, Dictionary<T, string> names)
        where T : struct, Enum
    {
        var text = field.String();
        foreach (var (value, name) in names)
        {
            if (name == text)
            {
                return value;
            }
        }
        throw field.Error($"expected one of {string.Join(", ", names.Values)}, found \"{text}\"");
    }
}
