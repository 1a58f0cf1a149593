using System.Text.Json;
using Surge.Capacity;
using static Surge.Reporting.JsonOutput;

namespace Surge.Reporting.Capacity;

/// <summary>`find-capacity --json`: the result for scripts. Rates in iterations/s, times in milliseconds, shares 0..1.</summary>
public static class CapacityJson
{
    /// <summary>Writes the result as one UTF-8 JSON document: the capacity, the first failing step, the knee and every step.</summary>
    public static void Write(CapacityResult result, Stream destination)
    {
        using var json = new Utf8JsonWriter(destination, WriterOptions);
        json.WriteStartObject();
        json.WriteString("scenario", result.Scenario);
        NumberOrNull(json, "capacity", result.Capacity);
        json.WriteString("conclusion", result.Conclusion);
        json.WriteBoolean("interrupted", result.Interrupted);
        json.WritePropertyName("firstFailure");
        WriteStepOrNull(json, result.FirstFailure);
        json.WritePropertyName("knee");
        WriteStepOrNull(json, result.Knee);
        NumberOrNull(json, "lowLoadP95", result.LowLoadP95);
        json.WriteNumber("kneeFactor", CapacityResult.KneeFactor);
        json.WriteStartObject("options");
        json.WriteNumber("startRate", result.Options.StartRate);
        json.WriteNumber("factor", result.Options.Factor);
        json.WriteNumber("precision", result.Options.Precision);
        json.WriteNumber("maxRate", result.Options.MaxRate);
        json.WriteEndObject();
        json.WriteStartArray("steps");
        foreach (var step in result.Steps)
        {
            WriteStep(json, step);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteStepOrNull(Utf8JsonWriter json, CapacityStep? step)
    {
        if (step is null)
        {
            json.WriteNullValue();
        }
        else
        {
            WriteStep(json, step);
        }
    }

    private static void WriteStep(Utf8JsonWriter json, CapacityStep step)
    {
        json.WriteStartObject();
        json.WriteNumber("rate", step.Rate);
        json.WriteNumber("durationSeconds", step.Duration.TotalSeconds);
        json.WriteString("verdict", step.Verdict.ToString().ToLowerInvariant());
        NumberOrNull(json, "achievedRate", step.AchievedRate);
        NumberOrNull(json, "p95", step.P95);
        NumberOrNull(json, "errorRate", step.ErrorRate);
        json.WriteNumber("droppedIterations", step.DroppedIterations);
        NumberOrNull(json, "generatorCpu", step.GeneratorCpu);
        NumberOrNull(json, "iterationStartDelayP99", step.StartDelayP99);
        json.WriteStartArray("reasons");
        foreach (var reason in step.Reasons)
        {
            json.WriteStringValue(reason);
        }
        json.WriteEndArray();
        json.WriteStartArray("failedThresholds");
        foreach (var threshold in step.FailedThresholds)
        {
            json.WriteStartObject();
            json.WriteString("metric", threshold.Key.ToString());
            json.WriteString("threshold", threshold.Expression.Text);
            NumberOrNull(json, "observed", threshold.Observed);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        if (step.Note is { } note)
        {
            json.WriteString("note", note);
        }
        json.WriteEndObject();
    }
}
