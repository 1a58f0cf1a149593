using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Surge.Data;
using Surge.Plans;

namespace Surge.Cli.Commands;

/// <summary>
/// A plan as JSON for `surge inspect`, written from the plan records themselves (their public properties, camelCase)
/// so that nothing the engine reads can be left out of what the user sees. C# code is named, not dumped; a data table
/// is described, not listed; long lists are cut with a note.
/// </summary>
public static class PlanJson
{
    private const int MaxItems = 100;
    private const int MaxDepth = 24;

    public static void Write(TestPlan plan, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            Value(json, plan, typeof(TestPlan), new HashSet<object>(ReferenceEqualityComparer.Instance), 0);
        }
        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        output.Flush();
    }

    private static void Value(Utf8JsonWriter json, object? value, Type declared, HashSet<object> path, int depth)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                return;
            case string text:
                json.WriteStringValue(text);
                return;
            case bool flag:
                json.WriteBooleanValue(flag);
                return;
            case Enum or Uri or SourceLocation or Regex or Type or DateTimeOffset:
                json.WriteStringValue(value is Type type ? type.Name : Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
            case TimeSpan span:
                json.WriteStringValue(Durations.Format(span));
                return;
            case double number when !double.IsFinite(number):
                json.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                return;
            case double or float or decimal:
                json.WriteNumberValue(Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                return;
            case int or long or short or byte or uint or ushort:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture));
                return;
            case Delegate code:
                json.WriteStringValue($"C# code ({code.Method.DeclaringType?.FullName}.{code.Method.Name})");
                return;
            case Plans.Segments.ExecutionTuple { IsWhole: true } whole:
                json.WriteStringValue(whole.ToString());
                return;
            case Plans.Segments.ExecutionTuple segment:
                // The part of the test this instance runs: which segment of which sequence, and its share of the whole.
                json.WriteStartObject();
                json.WriteString("segment", segment.Segment.ToString());
                json.WriteString("sequence", segment.Sequence.ToString());
                json.WriteString("share", segment.Segment.Length.ToString());
                json.WriteNumber("percent", Math.Round(segment.Segment.Length.ToDouble() * 100, 4));
                json.WriteEndObject();
                return;
            case DataTable table:
                json.WriteStartObject();
                json.WriteString("source", table.Source);
                json.WriteNumber("records", table.RowCount);
                json.WritePropertyName("fields");
                Value(json, table.Fields, typeof(IReadOnlyList<string>), path, depth + 1);
                json.WriteEndObject();
                return;
        }
        if (depth > MaxDepth || !path.Add(value))
        {
            json.WriteStringValue("(not shown: nested too deep)");
            return;
        }
        try
        {
            switch (value)
            {
                case IDictionary map:
                    json.WriteStartObject();
                    foreach (DictionaryEntry entry in map)
                    {
                        json.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "");
                        Value(json, entry.Value, ItemType(map, 1), path, depth + 1);
                    }
                    json.WriteEndObject();
                    break;
                case ITuple tuple:
                    json.WriteStartArray();
                    for (var i = 0; i < tuple.Length; i++)
                    {
                        Value(json, tuple[i], typeof(object), path, depth + 1);
                    }
                    json.WriteEndArray();
                    break;
                case IEnumerable items:
                    json.WriteStartArray();
                    var count = 0;
                    foreach (var item in items)
                    {
                        if (count++ == MaxItems)
                        {
                            json.WriteStringValue($"(only the first {MaxItems} items are shown)");
                            break;
                        }
                        Value(json, item, ItemType(items, 0), path, depth + 1);
                    }
                    json.WriteEndArray();
                    break;
                default:
                    Record(json, value, declared, path, depth);
                    break;
            }
        }
        finally
        {
            path.Remove(value);
        }
    }

    // What a collection declares its items (or a dictionary its values) to be, so that only a polymorphic item says its type.
    private static Type ItemType(object collection, int argument) =>
        collection.GetType().GetInterfaces()
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == (argument == 0 ? typeof(IEnumerable<>) : typeof(IDictionary<,>)))
            ?.GetGenericArguments()[argument] ?? typeof(object);

    private static void Record(Utf8JsonWriter json, object value, Type declared, HashSet<object> path, int depth)
    {
        var type = value.GetType();
        json.WriteStartObject();
        if (type != declared && !type.IsValueType)
        {
            // A step or an executor: which one it is, when its properties alone would not say.
            json.WriteString("$type", type.Name);
        }
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }
            json.WritePropertyName(JsonNamingPolicy.CamelCase.ConvertName(property.Name));
            object? propertyValue;
            try
            {
                propertyValue = property.GetValue(value);
            }
            catch (TargetInvocationException exception)
            {
                json.WriteStringValue($"(not available: {exception.InnerException?.Message})");
                continue;
            }
            Value(json, propertyValue, property.PropertyType, path, depth + 1);
        }
        json.WriteEndObject();
    }
}
