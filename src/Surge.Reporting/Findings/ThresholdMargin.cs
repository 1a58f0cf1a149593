using Surge.Results;
using Surge.Thresholds;

namespace Surge.Reporting.Findings;

/// <summary>
/// How much room a threshold has: the distance from the observed value to the bound, relative to the bound.
/// Positive passes (0.1 = 10% to spare), negative failed (-0.1 = 10% past the bound). A rate metric's share is
/// measured against its error budget instead: `rate&gt;0.99` allows 1% to fail, so 100% passing leaves all of that
/// budget (100%) to spare, not the 1% that dividing by 0.99 would claim.
/// </summary>
internal sealed record ThresholdMargin(ThresholdResult Threshold, double Margin)
{
    /// <summary>The margin of an ordering threshold (&lt;, &lt;=, &gt;, &gt;=) with an observed value; null for others.</summary>
    public static ThresholdMargin? Of(ThresholdResult threshold, bool isShare = false)
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
        var scale = isShare && threshold.Expression.Operator is ComparisonOperator.Greater or ComparisonOperator.GreaterOrEqual
            ? 1 - bound
            : Math.Abs(bound);
        // A bound of zero (or a rate>1 budget) has no scale to be relative to; the absolute room is the honest number then.
        var margin = scale <= 0 ? room.Value : room.Value / scale;
        return new ThresholdMargin(threshold, margin);
    }
}
