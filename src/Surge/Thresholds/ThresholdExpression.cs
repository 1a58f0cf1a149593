using System.Globalization;
using Surge.Metrics;

namespace Surge.Thresholds;

/// <summary>The comparison of a threshold expression, between the observed statistic and the bound.</summary>
public enum ComparisonOperator
{
    /// <summary>`&lt;`: passes when the statistic is below the bound.</summary>
    Less,

    /// <summary>`&lt;=`: passes when the statistic is at most the bound.</summary>
    LessOrEqual,

    /// <summary>`&gt;`: passes when the statistic is above the bound.</summary>
    Greater,

    /// <summary>`&gt;=`: passes when the statistic is at least the bound.</summary>
    GreaterOrEqual,

    /// <summary>`==` (or k6's `===`): passes when the statistic equals the bound exactly.</summary>
    Equal,

    /// <summary>`!=`: passes when the statistic differs from the bound.</summary>
    NotEqual,
}

/// <summary>k6's threshold expression: `stat operator number`, e.g. `p(95)&lt;500`, `rate&lt;0.01`, `count&gt;10`.</summary>
/// <param name="Stat">
/// The statistic judged: avg, min, med, max, p(N) or count for trends (time in milliseconds), rate for rates
/// (the share of passes) and counters (per second), count for counters, value, min or max for gauges.
/// </param>
/// <param name="Operator">How the statistic is compared with <paramref name="Bound"/>.</param>
/// <param name="Bound">The number on the right, finite, in the statistic's unit.</param>
/// <param name="Text">The expression as written (trimmed), for messages and the summary.</param>
public sealed record ThresholdExpression(string Stat, ComparisonOperator Operator, double Bound, string Text)
{
    private static readonly (string Symbol, ComparisonOperator Op)[] Operators =
    [
        ("===", ComparisonOperator.Equal), ("==", ComparisonOperator.Equal), ("!=", ComparisonOperator.NotEqual),
        ("<=", ComparisonOperator.LessOrEqual), (">=", ComparisonOperator.GreaterOrEqual),
        ("<", ComparisonOperator.Less), (">", ComparisonOperator.Greater),
    ];

    /// <summary>
    /// Reads `stat operator number`, e.g. `p(95)&lt;500`, with any of &lt;, &lt;=, &gt;, &gt;=, ==, === and !=. Whether the
    /// statistic fits the metric is a separate check (<see cref="MismatchWith"/>).
    /// </summary>
    /// <exception cref="ThresholdSyntaxException">No operator, an unknown statistic, or a bound that is not a finite number; its column points at it.</exception>
    public static ThresholdExpression Parse(string text)
    {
        var opIndex = text.IndexOfAny(['<', '>', '=', '!']);
        if (opIndex < 0)
        {
            throw new ThresholdSyntaxException($"'{text}' has no comparison: write e.g. p(95)<500", 1);
        }
        var stat = text[..opIndex].Trim();
        var (symbol, op) = Operators.FirstOrDefault(o => text.AsSpan(opIndex).StartsWith(o.Symbol, StringComparison.Ordinal));
        if (symbol is null)
        {
            throw new ThresholdSyntaxException($"'{text}' has an unknown operator: use <, <=, >, >=, == or !=", opIndex + 1);
        }
        var boundText = text[(opIndex + symbol.Length)..].Trim();
        if (!double.TryParse(boundText, NumberStyles.Float, CultureInfo.InvariantCulture, out var bound))
        {
            throw new ThresholdSyntaxException($"'{boundText}' in '{text}' is not a number", opIndex + symbol.Length + 1);
        }
        if (!double.IsFinite(bound))
        {
            // NaN fails every comparison and an infinite bound passes or fails every run: neither judges anything.
            throw new ThresholdSyntaxException(
                $"'{boundText}' in '{text}' is not a finite number; a threshold needs a bound that a measurement can cross",
                opIndex + symbol.Length + 1);
        }
        if (!IsKnownStat(stat))
        {
            throw new ThresholdSyntaxException(
                $"'{stat}' in '{text}' is not a statistic: use avg, min, med, max, p(N), count, rate or value", 1);
        }
        return new ThresholdExpression(stat, op, bound, text.Trim());
    }

    private static bool IsKnownStat(string stat) =>
        stat is "rate" or "value" || MetricAggregate.IsTrendStat(stat);

    /// <summary>
    /// Why <see cref="Stat"/> cannot judge <paramref name="metric"/> ("'p(95)' does not apply to rate metric
    /// 'http_req_failed'; use rate"), or null when it can.
    /// </summary>
    public string? MismatchWith(MetricDefinition metric)
    {
        ArgumentNullException.ThrowIfNull(metric);
        if (MetricAggregate.IsValidStat(metric.Kind, Stat))
        {
            return null;
        }
        var (kind, stats) = metric.Kind switch
        {
            MetricKind.Counter => ("counter", "count or rate"),
            MetricKind.Gauge => ("gauge", "value, min or max"),
            MetricKind.Rate => ("rate", "rate"),
            _ => ("trend", "avg, min, med, max, count or p(N)"),
        };
        return $"'{Stat}' does not apply to {kind} metric '{metric.Name}'; use {stats}";
    }

    /// <summary>True when the <paramref name="observed"/> statistic passes the comparison with <see cref="Bound"/>.</summary>
    public bool IsSatisfiedBy(double observed) => Operator switch
    {
        ComparisonOperator.Less => observed < Bound,
        ComparisonOperator.LessOrEqual => observed <= Bound,
        ComparisonOperator.Greater => observed > Bound,
        ComparisonOperator.GreaterOrEqual => observed >= Bound,
        ComparisonOperator.Equal => observed == Bound,
        _ => observed != Bound,
    };

    /// <summary>The expression as written, <see cref="Text"/>.</summary>
    public override string ToString() => Text;
}
