using System.Globalization;
using System.Text.Json;

namespace Surge.Reporting.Compare;

/// <summary>
/// The comparison for machines: every figure in plain units (latency in milliseconds, error rate as a share,
/// relative changes as fractions), each verdict as a word, and a top-level "regressed" for the one question CI asks.
/// </summary>
public static class ComparisonJson
{
    /// <summary>The document's "format" field, so a reader can tell it from a result file.</summary>
    public const string Format = "surge-compare";

    /// <summary>The document's "version" field; it grows when a field changes meaning or goes away.</summary>
    public const int Version = 1;

    /// <summary>Writes the comparison as one UTF-8 JSON document.</summary>
    public static void Write(RunComparison comparison, Stream destination)
    {
        using var json = new Utf8JsonWriter(destination, JsonOutput.WriterOptions);
        json.WriteStartObject();
        json.WriteString("format", Format);
        json.WriteNumber("version", Version);
        json.WriteBoolean("regressed", comparison.Regressed);
        WriteRun(json, "base", comparison.Base);
        WriteRun(json, "new", comparison.New);

        var tolerances = comparison.Tolerances;
        json.WriteStartObject("tolerances");
        foreach (var stat in ComparedStats.All)
        {
            // Infinite means "shown, never judged", which JSON can only say as null.
            JsonOutput.NumberOrNull(json, ComparedStats.Name(stat), tolerances.For(stat));
        }
        json.WriteNumber("minRequests", tolerances.MinRequests);
        json.WriteNumber("latencyFloorMs", tolerances.LatencyFloorMs);
        json.WriteEndObject();

        json.WriteStartArray("notes");
        foreach (var note in comparison.Notes)
        {
            json.WriteStringValue(note);
        }
        json.WriteEndArray();

        json.WriteStartArray("rows");
        foreach (var row in comparison.Rows)
        {
            json.WriteStartObject();
            json.WriteString("endpoint", row.Endpoint);
            json.WriteBoolean("total", row.IsTotal);
            json.WriteString("verdict", Name(row.Verdict));
            WriteFigures(json, "base", row.Base);
            WriteFigures(json, "new", row.New);
            json.WriteStartObject("changes");
            foreach (var change in row.Changes)
            {
                json.WriteStartObject(ComparedStats.Name(change.Stat));
                json.WriteNumber("delta", change.Delta);
                if (change.Relative is { } relative)
                {
                    json.WriteNumber("relative", relative);
                }
                else
                {
                    json.WriteNull("relative");
                }
                json.WriteString("verdict", Name(change.Verdict));
                json.WriteEndObject();
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteRun(Utf8JsonWriter json, string name, ComparedRun run)
    {
        json.WriteStartObject(name);
        json.WriteString("name", run.Name);
        json.WriteString("startedAt", run.StartedAt.ToString("O", CultureInfo.InvariantCulture));
        json.WriteNumber("durationSeconds", run.Duration.TotalSeconds);
        json.WriteString("outcome", JsonNamingPolicy.CamelCase.ConvertName(run.Outcome.ToString()));
        json.WriteEndObject();
    }

    private static void WriteFigures(Utf8JsonWriter json, string name, RowFigures? figures)
    {
        if (figures is null)
        {
            json.WriteNull(name);
            return;
        }
        json.WriteStartObject(name);
        json.WriteNumber("requests", figures.Requests);
        foreach (var stat in ComparedStats.All)
        {
            json.WriteNumber(ComparedStats.Name(stat), figures.Value(stat));
        }
        json.WriteEndObject();
    }

    private static string Name(StatVerdict verdict) => verdict switch
    {
        StatVerdict.Regressed => "regressed",
        StatVerdict.Improved => "improved",
        StatVerdict.TooFewSamples => "tooFewSamples",
        _ => "unchanged",
    };

    private static string Name(RowVerdict verdict) => verdict switch
    {
        RowVerdict.Regressed => "regressed",
        RowVerdict.Improved => "improved",
        RowVerdict.TooFewSamples => "tooFewSamples",
        RowVerdict.Added => "added",
        RowVerdict.Removed => "removed",
        _ => "unchanged",
    };
}
