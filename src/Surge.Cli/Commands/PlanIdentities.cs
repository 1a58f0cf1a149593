using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Surge.Plans;
using Surge.Results;

namespace Surge.Cli.Commands;

/// <summary>
/// A plan's <see cref="PlanIdentity"/>, taken from what `surge inspect` prints (every property the engine reads, so
/// nothing that changes the load escapes it): one hash per top-level field, per scenario field
/// ("scenarios.browse.executor"), and one over them all. What differs between instances of one distributed run by
/// design is left out: the execution segment, the environment, the run's tags and the test file's path.
/// </summary>
public static class PlanIdentities
{
    private static readonly HashSet<string> PerInstance = new(StringComparer.OrdinalIgnoreCase) { "env", "tags", "source" };

    public static PlanIdentity Of(TestPlan plan)
    {
        using var text = new StringWriter();
        PlanJson.Write(plan, text);
        using var document = JsonDocument.Parse(text.ToString());
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (PerInstance.Contains(property.Name) || IsSegment(property.Name))
            {
                continue;
            }
            if (property.Name == "scenarios" && property.Value.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var scenario in property.Value.EnumerateArray())
                {
                    var name = scenario.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : $"#{index}";
                    foreach (var field in scenario.EnumerateObject().Where(f => !IsSegment(f.Name)))
                    {
                        fields[$"scenarios.{name}.{field.Name}"] = Hash(field.Value);
                    }
                    index++;
                }
                continue;
            }
            fields[property.Name] = Hash(property.Value);
        }
        var all = string.Concat(fields.Select(f => $"{f.Key}={f.Value}\n"));
        return new PlanIdentity(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(all))), fields);
    }

    private static bool IsSegment(string name) => name.Contains("segment", StringComparison.OrdinalIgnoreCase);

    private static string Hash(JsonElement value)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            WithoutSegments(json, value);
        }
        return Convert.ToHexStringLower(SHA256.HashData(stream.ToArray()))[..16];
    }

    private static void WithoutSegments(Utf8JsonWriter json, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                json.WriteStartObject();
                foreach (var property in value.EnumerateObject().Where(p => !IsSegment(p.Name)))
                {
                    json.WritePropertyName(property.Name);
                    WithoutSegments(json, property.Value);
                }
                json.WriteEndObject();
                break;
            case JsonValueKind.Array:
                json.WriteStartArray();
                foreach (var item in value.EnumerateArray())
                {
                    WithoutSegments(json, item);
                }
                json.WriteEndArray();
                break;
            default:
                value.WriteTo(json);
                break;
        }
    }
}
