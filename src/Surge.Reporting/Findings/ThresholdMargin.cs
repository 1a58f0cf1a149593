using Surge.Results;
using Surge.Thresholds;

namespace Surge.Reporting.Findings;

/// <summary>
/// How much room a threshold has: the distance from the observed value to the bound, relative to the bound.
/// Positive passes (0.1 = 10% to spare), negative failed (-0.1 = 10% past the bound).
/// </summary>
public sealed record ThresholdMargin(ThresholdResult Threshold, double Margin)
{
    /// <summary>The margin of an ordering threshold (&lt;, &lt;=, &gt;, &gt;=) with an observed value; null for others.</summary>
    public static ThresholdMargin? Of(ThresholdResult threshold)
    {
        if (threshold.Observed is not { } observed || !double.IsFinite(observed))
        {
            return null;
        }
        var bound = threshold.Expression.Bound;
        double? room = threshold.Expression.Operator switch
        {
            ComparisonOperator.Less or ComparisonOperator.LessOrEqual => bound - observed,
            ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual => observed - bound,
            _ => null,
        };
        if (room is null)
        {
            return null;
        }
        // A bound of zero has no scale to be relative to; the absolute room is the honest number then.
        var margin = bound == 0 ? room.Value : room.Value / Math.Abs(bound);
        return new ThresholdMargin(threshold, margin);
    }
}
