using System.Text.Encodings.Web;
using System.Text.Json;

namespace Surge.Reporting;

internal static class JsonOutput
{
    // Relaxed escaping keeps '<' in threshold expressions and 'µ' readable; these files are never embedded in HTML.
    public static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>JSON has no NaN or infinity: such a number, or none, is written as null rather than failing the export.</summary>
    public static void NumberOrNull(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number && double.IsFinite(number))
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
