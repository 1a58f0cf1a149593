using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Surge.Capacity;

namespace Surge.Reporting.Capacity;

/// <summary>
/// `find-capacity --report FILE`: a self-contained page with two inline SVG charts over the steps sorted by rate
/// (p95 against rate, error rate against rate; a dot per step coloured by verdict) and the table of steps.
/// </summary>
public static class CapacityHtml
{
    private const int Width = 640;
    private const int Height = 260;
    private const int Left = 70;
    private const int Right = 20;
    private const int Top = 20;
    private const int Bottom = 40;

    /// <summary>Writes the page as UTF-8 HTML.</summary>
    public static void Write(CapacityResult result, Stream destination)
    {
        var html = new StringBuilder();
        html.Append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(Encode($"Surge capacity search: {result.Scenario}"))
            .Append("</title>\n<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{padding:3px 10px;border-bottom:1px solid #ddd;text-align:right}th{background:#f4f4f4}td.r{text-align:left;min-width:24em}.pass{color:#1a7f37}.fail{color:#cf222e}.inconclusive{color:#9a6700}svg{display:block;margin:1em 0}</style></head><body>\n")
            .Append("<h1>Capacity search: ").Append(Encode(result.Scenario)).Append("</h1>\n<p><strong>")
            .Append(Encode(result.Capacity is { } capacity ? $"Capacity: {CapacityText.Rate(capacity)} iterations/s met every threshold." : "No step met every threshold."))
            .Append("</strong> ").Append(Encode(result.Conclusion)).Append("</p>\n");
        if (result.FirstFailure is { } failure)
        {
            html.Append("<p>First failing step: ").Append(Encode($"{CapacityText.Rate(failure.Rate)}/s: {string.Join("; ", failure.Reasons)}")).Append("</p>\n");
        }
        html.Append("<p>").Append(Encode(result.Knee is { } knee
            ? $"Latency knee: {CapacityText.Rate(knee.Rate)}/s, where p95 reached {CapacityText.Ms(knee.P95)}, at least ×{CapacityResult.KneeFactor} the low-load p95 of {CapacityText.Ms(result.LowLoadP95)}."
            : $"Latency knee: none; no judged step's p95 reached ×{CapacityResult.KneeFactor} the low-load p95 of {CapacityText.Ms(result.LowLoadP95)}.")).Append("</p>\n");

        var byRate = result.Steps.OrderBy(s => s.Rate).ToList();
        html.Append("<h2>p95 of http_req_duration by rate</h2>\n");
        html.Append("<p>A dot per step: <span class=\"pass\">passed</span>, <span class=\"fail\">failed</span>, <span class=\"inconclusive\">inconclusive</span> (left off the line). The dashed line is the capacity.</p>\n");
        Chart(html, byRate, s => s.P95, v => CapacityText.Ms(v), "p95 latency by rate", result.Capacity);
        html.Append("<h2>http_req_failed by rate</h2>\n");
        Chart(html, byRate, s => s.ErrorRate, v => CapacityText.Share(v), "error rate by rate", result.Capacity);

        html.Append("<h2>Steps, in the order run</h2>\n<table><tr><th>#</th><th>rate/s</th><th>achieved/s</th><th>duration</th><th>p95</th><th>errors</th><th>dropped</th><th>generator CPU</th><th>start delay p99</th><th class=\"r\">verdict</th></tr>\n");
        var number = 1;
        foreach (var step in result.Steps)
        {
            var verdict = CapacityText.Verdict(step.Verdict);
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{number++}</td><td>{CapacityText.Rate(step.Rate)}</td><td>{CapacityText.Rate(step.AchievedRate)}</td><td>{Plans.Durations.Format(step.Duration)}</td><td>{Encode(CapacityText.Ms(step.P95))}</td><td>{CapacityText.Share(step.ErrorRate)}</td><td>{step.DroppedIterations}</td><td>{CapacityText.Share(step.GeneratorCpu)}</td><td>{Encode(CapacityText.Ms(step.StartDelayP99))}</td>")
                .Append("<td class=\"r ").Append(step.Verdict == StepVerdict.Failed ? "fail" : verdict).Append("\">").Append(Encode(verdict))
                .Append(step.Reasons.Count > 0 ? Encode(": " + string.Join("; ", step.Reasons)) : "")
                .Append(step.Note is { } note ? Encode(" (" + note + ")") : "")
                .Append("</td></tr>\n");
        }
        html.Append("</table>\n</body></html>\n");
        var bytes = Encoding.UTF8.GetBytes(html.ToString());
        destination.Write(bytes);
    }

    private static void Chart(StringBuilder html, List<CapacityStep> steps, Func<CapacityStep, double?> value, Func<double, string> label, string title, double? capacity)
    {
        var points = steps.Where(s => value(s) is not null).Select(s => (Step: s, Value: value(s)!.Value)).ToList();
        html.Append(CultureInfo.InvariantCulture, $"<svg width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Encode(title)}\">");
        if (points.Count == 0)
        {
            html.Append("<text x=\"70\" y=\"40\">no data</text></svg>\n");
            return;
        }
        var maxRate = points.Max(p => p.Step.Rate);
        var maxValue = Math.Max(points.Max(p => p.Value), 1e-9);
        double X(double rate) => Left + rate / maxRate * (Width - Left - Right);
        double Y(double v) => Height - Bottom - v / maxValue * (Height - Top - Bottom);
        html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Height - Bottom}\" x2=\"{Width - Right}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/><line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Height - Bottom}\" stroke=\"#888\"/>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{Top + 4}\" text-anchor=\"end\" font-size=\"11\">{Encode(label(maxValue))}</text><text x=\"{Left - 6}\" y=\"{Height - Bottom}\" text-anchor=\"end\" font-size=\"11\">0</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - Right}\" y=\"{Height - 8}\" text-anchor=\"end\" font-size=\"11\">{CapacityText.Rate(maxRate)} iterations/s</text><text x=\"{Left}\" y=\"{Height - 8}\" font-size=\"11\">0</text>");
        html.Append("<polyline fill=\"none\" stroke=\"#4a78c2\" stroke-width=\"1.5\" points=\"")
            .AppendJoin(' ', points.Where(p => p.Step.Verdict != StepVerdict.Inconclusive).Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Step.Rate):0.#},{Y(p.Value):0.#}")))
            .Append("\"/>");
        if (capacity is { } line)
        {
            html.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(line):0.#}\" y1=\"{Top}\" x2=\"{X(line):0.#}\" y2=\"{Height - Bottom}\" stroke=\"#1a7f37\" stroke-dasharray=\"4 3\"/><text x=\"{X(line) + 4:0.#}\" y=\"{Top + 10}\" font-size=\"11\" fill=\"#1a7f37\">{CapacityText.Rate(line)}/s</text>");
        }
        foreach (var (step, v) in points)
        {
            var colour = step.Verdict switch { StepVerdict.Passed => "#1a7f37", StepVerdict.Failed => "#cf222e", _ => "#9a6700" };
            html.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(step.Rate):0.#}\" cy=\"{Y(v):0.#}\" r=\"4\" fill=\"{colour}\"><title>{CapacityText.Rate(step.Rate)}/s: {Encode(label(v))} ({CapacityText.Verdict(step.Verdict)})</title></circle>");
        }
        html.Append("</svg>\n");
    }

    private static string Encode(string text) => HtmlEncoder.Default.Encode(text);
}
