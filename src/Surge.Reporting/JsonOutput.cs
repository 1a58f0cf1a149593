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
}
