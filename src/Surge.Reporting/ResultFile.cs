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
    public const string Format = "surge-result";
    public const int Version = 1;

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
        WriteStrings(json, "summaryTrendStats", summary.SummaryTrendStats);
        WriteStrings(json, "warnings", summary.Warnings);

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
            json.WriteNumber("vus", point.Vus);
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
        if (version.Int() != Version)
        {
            throw version.Error($"version {version.Int()} is not supported; this Surge reads version {Version}");
        }
        return new RunSummary
        {
            StartedAt = root.Required("startedAt").Parse(
                s => DateTimeOffset.ParseExact(s, "O", CultureInfo.InvariantCulture, DateTimeStyles.None), "a round-trip date"),
            Duration = ReadTimeSpan(root.Required("duration")),
            Outcome = ReadName(root.Required("outcome"), OutcomeNames),
            StoppedBy = root.Optional("stoppedBy")?.String(),
            SummaryTrendStats = [.. root.Required("summaryTrendStats").Items().Select(i => i.String())],
            Warnings = [.. root.Required("warnings").Items().Select(i => i.String())],
            Scenarios = [.. root.Required("scenarios").Items().Select(ReadScenario)],
            Thresholds = [.. root.Required("thresholds").Items().Select(ReadThreshold)],
            Metrics = [.. root.Required("metrics").Items().Select(ReadMetric)],

            // Files written before the timeline existed have none; they read as a run without one.
            Timeline = root.Optional("timeline") is { } timeline ? [.. timeline.Items().Select(ReadPoint)] : [],
            Verifications = root.Optional("verifications") is { } verifications ? [.. verifications.Items().Select(ReadVerification)] : [],
        };
    }

    private static IntegrityResult ReadVerification(JsonField verify) => new(verify.Required("ledger").String())
    {
        Acknowledged = verify.Required("acknowledged").Int(),
        OnServer = verify.Required("onServer").Int(),
        DuplicatesAcknowledged = verify.Required("duplicatesAcknowledged").Int(),
        DuplicatesOnServer = verify.Required("duplicatesOnServer").Int(),
        Missing = verify.Required("missing").Int(),
        Error = verify.Optional("error")?.String(),
    };

    private static TimelinePoint ReadPoint(JsonField point)
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
        return new TimelinePoint
        {
            Start = ReadTimeSpan(point.Required("start")),
            Length = ReadTimeSpan(point.Required("length")),
            Vus = point.Required("vus").Int(),
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
                stats.Required("min").Double(), stats.Required("max").Double());
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
        DroppedIterations = scenario.Required("droppedIterations").Long(),
    };

    private static ThresholdResult ReadThreshold(JsonField threshold) => new(
        threshold.Required("key").Parse(MetricKey.Parse, "a metric key"),
        threshold.Required("expression").Parse(ThresholdExpression.Parse, "a threshold expression"),
        threshold.Required("observed").NullableDouble(),
        threshold.Required("passed").Bool(),
        threshold.Required("abortOnFail").Bool());

    private static MetricSummary ReadMetric(JsonField metric)
    {
        var definition = new MetricDefinition(
            metric.Required("name").String(),
            ReadName(metric.Required("kind"), KindNames),
            ReadName(metric.Required("contains"), ContainsNames),
            metric.Required("description").String());
        var total = ReadAggregate(metric.Required("total"), definition.Kind);
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
            series.Add(new MetricSeries(tags, ReadAggregate(item.Required("values"), definition.Kind)));
        }
        return new MetricSummary(definition, total, series);
    }

    private static MetricAggregate ReadAggregate(JsonField values, MetricKind kind)
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
                lastTimestamp = values.Required("lastTimestamp").Long();
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

    /// <summary>
    /// Combines results of the same test run on several machines as if one machine had measured everything:
    /// series with equal tags merge exactly (histograms add), the run spans from the earliest start for the
    /// longest duration, scenarios add up by name, and the most severe outcome wins.
    /// </summary>
    public static RunSummary Merge(IReadOnlyList<RunSummary> parts)
    {
        if (parts.Count == 0)
        {
            throw new ArgumentException("there is nothing to merge", nameof(parts));
        }
        var first = parts[0];
        return first with
        {
            StartedAt = parts.Min(p => p.StartedAt),
            Duration = parts.Max(p => p.Duration),
            Outcome = parts.Select(p => p.Outcome).MaxBy(Severity),
            Warnings = [.. parts.SelectMany(p => p.Warnings).Distinct(StringComparer.Ordinal)],
            Scenarios = MergeScenarios(parts),
            Metrics = MergeMetrics(parts),

            // Machines start at different moments and slice at different widths, so their slices do not line up;
            // a merged result shows no timeline rather than one machine's as if it were everyone's.
            Timeline = parts.Count == 1 ? first.Timeline : [],
            Verifications = [.. parts.SelectMany(p => p.Verifications)],

            // Kept from the first part as they are: the observed values and verdicts of one machine say nothing
            // about the merged whole, and the caller re-evaluates every threshold against the merged metrics.
            Thresholds = first.Thresholds,
        };
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
                DroppedIterations = sum.DroppedIterations + scenario.DroppedIterations,
            };
        }
        return merged;
    }

    private static List<MetricSummary> MergeMetrics(IReadOnlyList<RunSummary> parts)
    {
        var order = new List<string>();
        var definitions = new Dictionary<string, MetricDefinition>(StringComparer.Ordinal);
        var totals = new Dictionary<string, MetricAggregate>(StringComparer.Ordinal);
        var series = new Dictionary<string, Dictionary<TagSet, MetricAggregate>>(StringComparer.Ordinal);
        var seriesOrder = new Dictionary<string, List<TagSet>>(StringComparer.Ordinal);
        foreach (var metric in parts.SelectMany(p => p.Metrics))
        {
            var name = metric.Definition.Name;
            if (!definitions.TryGetValue(name, out var definition))
            {
                definition = metric.Definition;
                definitions[name] = definition;
                totals[name] = new MetricAggregate(definition.Kind);
                series[name] = [];
                seriesOrder[name] = [];
                order.Add(name);
            }
            else if (definition.Kind != metric.Definition.Kind)
            {
                throw new ArgumentException(
                    $"metric '{name}' is a {definition.Kind} in one part and a {metric.Definition.Kind} in another", nameof(parts));
            }
            totals[name].Merge(metric.Total);
            foreach (var part in metric.Series)
            {
                if (!series[name].TryGetValue(part.Tags, out var values))
                {
                    values = new MetricAggregate(definition.Kind);
                    series[name][part.Tags] = values;
                    seriesOrder[name].Add(part.Tags);
                }
                values.Merge(part.Values);
            }
        }
        return [.. order.Select(name => new MetricSummary(
            definitions[name],
            totals[name],
            [.. seriesOrder[name].Select(tags => new MetricSeries(tags, series[name][tags]))]))];
    }
}
