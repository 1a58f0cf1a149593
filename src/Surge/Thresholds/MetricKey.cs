using Surge.Metrics;

namespace Surge.Thresholds;

/// <summary>A metric name with an optional tag filter, as k6 writes it: `http_req_duration{name:login,method:POST}`.</summary>
/// <param name="Metric">The metric's name, e.g. http_req_duration.</param>
/// <param name="Filter">
/// The tags a series must carry, each with the same value, to count; other tags may differ. Empty for the whole metric.
/// </param>
public sealed record MetricKey(string Metric, TagSet Filter)
{
    /// <summary>
    /// Reads `name` or `name{tag:value,tag:value}`; the name is letters, digits, '_', '.' and '-', and spaces around
    /// names and values are ignored. Whether the metric exists is checked later, against the plan.
    /// </summary>
    /// <exception cref="ThresholdSyntaxException">The text is not a key; its column points at the mistake.</exception>
    public static MetricKey Parse(string text)
    {
        var open = text.IndexOf('{', StringComparison.Ordinal);
        var name = (open < 0 ? text : text[..open]).Trim();
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            throw new ThresholdSyntaxException($"'{text}' is not a metric name: use letters, digits, '_', '.' and '-'", 1);
        }
        if (open < 0)
        {
            return new MetricKey(name, TagSet.Empty);
        }
        if (!text.EndsWith('}'))
        {
            throw new ThresholdSyntaxException($"'{text}': the tag filter must end with '}}'", text.Length);
        }
        var tags = new List<KeyValuePair<string, string>>();
        var column = open + 2;
        foreach (var pair in text[(open + 1)..^1].Split(','))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            var key = colon < 0 ? "" : pair[..colon].Trim();
            var value = colon < 0 ? "" : pair[(colon + 1)..].Trim();
            if (key.Length == 0 || value.Length == 0)
            {
                throw new ThresholdSyntaxException($"'{pair.Trim()}' in '{text}' is not a tag filter: write tag:value", column);
            }
            tags.Add(new(key, value));
            column += pair.Length + 1;
        }
        return new MetricKey(name, TagSet.From(tags));
    }

    /// <summary>The key as k6 writes it, `name{tag:value}`, or the bare name without a filter.</summary>
    public override string ToString() => Filter.Count == 0 ? Metric : $"{Metric}{{{Filter}}}";
}
