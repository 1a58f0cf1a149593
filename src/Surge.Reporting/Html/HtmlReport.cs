using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Surge.Reporting.Findings;
using Surge.Results;

namespace Surge.Reporting.Html;

/// <summary>
/// `--report FILE.html`: one self-contained page (uPlot, our script and styles, and the run as JSON, all inline;
/// no external URL), readable offline and shareable as a single file.
/// </summary>
public static class HtmlReport
{
    private const string DataElementId = "surge-data";

    // The default encoder escapes <, >, & and quotes as \uXXXX, so no string in the data can close the
    // <script> element that holds it, whatever an endpoint or check is called.
    private static readonly JsonWriterOptions DataOptions = new() { Encoder = JavaScriptEncoder.Default };

    private static readonly Lazy<Assets> PageAssets = new(Assets.Load);

    /// <summary>The report page as HTML text.</summary>
    public static string Render(RunSummary summary) => Page(summary, Data(summary));

    /// <summary>Writes the report page as UTF-8 HTML.</summary>
    public static void Write(RunSummary summary, Stream destination) =>
        destination.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(Render(summary)));

    /// <summary>The JSON blob the page renders with `SurgeReport.render(data)`.</summary>
    internal static string Data(RunSummary summary) =>
        Json(json => ReportData.Write(json, summary, RunFindings.From(summary)));

    /// <summary>
    /// One timeline point as `SurgeReport.appendPoint(point)` takes it, e.g. sent as a server-sent event, with the
    /// values of the custom metrics among <paramref name="soFar"/>'s metrics.
    /// </summary>
    internal static string PointData(TimelinePoint point, RunSummary? soFar = null) =>
        Json(json => ReportData.WritePoint(json, point, soFar is null ? null : [.. ReportData.CustomMetrics(soFar).Select(m => m.Definition)]));

    /// <summary>
    /// The run so far as a live page refreshes it with `SurgeReport.update(status)`: the headline numbers (`run`) and
    /// the thresholds, without the timeline, endpoints or findings.
    /// </summary>
    internal static string StatusData(RunSummary summary) => Json(json => ReportData.WriteStatus(json, summary));

    /// <summary>The page around a data blob: a live dashboard serves this and then sends points.</summary>
    internal static string Page(RunSummary summary, string data) => Page(summary, data, liveScript: null);

    /// <summary>
    /// The page with one more script after the report's own, e.g. a live dashboard's, which drives
    /// `SurgeReport` from server-sent events. It is inlined like the report's script, so it must not close the element.
    /// </summary>
    internal static string Page(RunSummary summary, string data, string? liveScript)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (liveScript is not null && liveScript.Contains("</script", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("the live script contains a closing tag and cannot be inlined", nameof(liveScript));
        }
        var assets = PageAssets.Value;
        var title = "Surge report " + DisplayFormat.Timestamp(summary.StartedAt);
        return new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(HtmlEncoder.Default.Encode(title)).Append("</title>\n")
            .Append("<style>\n").Append(assets.UPlotCss).Append('\n').Append(assets.ReportCss).Append("</style>\n")
            .Append("</head>\n<body>\n<main id=\"surge-report\"></main>\n")
            .Append("<script type=\"application/json\" id=\"").Append(DataElementId).Append("\">").Append(data).Append("</script>\n")
            .Append("<script>\n").Append(assets.UPlotJs).Append("\n</script>\n")
            .Append("<script>\n").Append(assets.ReportJs).Append("</script>\n")
            .Append(liveScript is null ? "" : "<script>\n" + liveScript + "\n</script>\n")
            .Append("</body>\n</html>\n")
            .ToString();
    }

    private static string Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, DataOptions))
        {
            write(json);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private sealed record Assets(string UPlotJs, string UPlotCss, string ReportJs, string ReportCss)
    {
        public static Assets Load() => new(Read("uPlot.iife.min.js"), Read("uPlot.min.css"), Read("report.js"), Read("report.css"));

        private static string Read(string name)
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Surge.Reporting.Html." + name)
                ?? throw new InvalidOperationException($"the report asset {name} is not embedded in Surge.Reporting");
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var text = reader.ReadToEnd();
            // Inlined as-is into <script>/<style>: a closing tag inside would end the element early.
            if (text.Contains("</script", StringComparison.OrdinalIgnoreCase) || text.Contains("</style", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"the report asset {name} contains a closing tag and cannot be inlined");
            }
            return text;
        }
    }
}
