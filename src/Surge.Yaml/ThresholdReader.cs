using Surge.Metrics;
using Surge.Plans;
using Surge.Thresholds;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>Reads `thresholds:`: metric keys with lists of k6 expressions, checked against the built-in metrics.</summary>
internal sealed class ThresholdReader(YamlSource source, IReadOnlyList<MetricDefinition> customMetrics)
{
    private static readonly string[] EntryKeys = ["threshold", "abortOnFail", "delayAbortEval", "allowNoData"];
    private readonly string[] _metricNames = [.. BuiltinMetrics.All.Concat(customMetrics).Select(m => m.Name)];

    public IReadOnlyList<ThresholdPlan> ReadAll(YamlNode node)
    {
        var thresholds = new List<ThresholdPlan>();
        foreach (var (keyNode, value) in source.Map(node, "thresholds").Entries)
        {
            var key = Parse(keyNode, MetricKey.Parse);
            var metric = BuiltinMetrics.Find(key.Metric) ?? customMetrics.FirstOrDefault(m => m.Name == key.Metric)
                ?? throw source.Error(keyNode, Suggest.Unknown("metric", key.Metric, _metricNames));
            var items = source.Sequence(value, $"thresholds of '{keyNode.Value}'", "[\"p(95)<500\"]");
            if (items.Count == 0)
            {
                throw source.Error(keyNode, $"'{keyNode.Value}' has no threshold expressions; write e.g. [\"p(95)<500\"]");
            }
            thresholds.AddRange(items.Select(item => Read(key, metric, item)));
        }
        return thresholds;
    }

    private ThresholdPlan Read(MetricKey key, MetricDefinition metric, YamlNode item)
    {
        if (item is not YamlMappingNode)
        {
            return new ThresholdPlan { Key = key, Expression = Expression(metric, item), Location = source.At(item) };
        }
        var entry = source.Map(item, "a threshold");
        entry.AllowOnly(EntryKeys);
        var expressionNode = entry.Required("threshold", "write e.g. threshold: rate<0.01");
        return new ThresholdPlan
        {
            Key = key,
            Expression = Expression(metric, expressionNode),
            AbortOnFail = entry.Optional("abortOnFail") is { } abort && source.Boolean(abort, "abortOnFail"),
            DelayAbortEval = entry.Optional("delayAbortEval") is { } delay
                ? source.Duration(delay, "delayAbortEval")
                : TimeSpan.Zero,
            AllowNoData = entry.Optional("allowNoData") is { } allow && source.Boolean(allow, "allowNoData"),
            Location = source.At(expressionNode),
        };
    }

    private ThresholdExpression Expression(MetricDefinition metric, YamlNode node)
    {
        var scalar = source.Scalar(node, "a threshold expression");
        var expression = Parse(scalar, ThresholdExpression.Parse);
        if (expression.MismatchWith(metric) is { } mismatch)
        {
            var text = scalar.Value ?? "";
            var statColumn = text.Length - text.TrimStart().Length + 1;
            throw new PlanException(mismatch, source.At(scalar, statColumn));
        }
        return expression;
    }

    /// <summary>Runs a threshold parser, moving its error column (within the text) to the file.</summary>
    private T Parse<T>(YamlScalarNode node, Func<string, T> parse)
    {
        try
        {
            return parse(node.Value ?? "");
        }
        catch (ThresholdSyntaxException ex)
        {
            throw new PlanException(ex.Message, source.At(node, ex.Column));
        }
    }
}
