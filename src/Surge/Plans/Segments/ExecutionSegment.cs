namespace Surge.Plans.Segments;

/// <summary>A segment or sequence string that does not mean anything; the message names what is wrong.</summary>
public sealed class SegmentFormatException(string message) : FormatException(message);

/// <summary>
/// k6's execution segment: the part [From, To) of a whole test, 0 ≤ From &lt; To ≤ 1, that one instance runs.
/// `--execution-segment 1/3:2/3` runs the middle third; `1/3` alone means 0:1/3.
/// </summary>
public sealed record ExecutionSegment
{
    /// <summary>The segment [<paramref name="from"/>, <paramref name="to"/>).</summary>
    /// <exception cref="SegmentFormatException">Unless 0 ≤ <paramref name="from"/> &lt; <paramref name="to"/> ≤ 1.</exception>
    public ExecutionSegment(Fraction from, Fraction to)
    {
        if (from < Fraction.Zero)
        {
            throw new SegmentFormatException($"a segment cannot start below 0, but {from}:{to} starts at {from}");
        }
        if (from >= to)
        {
            throw new SegmentFormatException($"a segment must start before it ends, but {from}:{to} does not");
        }
        if (to > Fraction.One)
        {
            throw new SegmentFormatException($"a segment cannot end beyond 1, but {from}:{to} ends at {to}");
        }
        From = from;
        To = to;
    }

    /// <summary>All of the test: 0:1.</summary>
    public static ExecutionSegment Whole { get; } = new(Fraction.Zero, Fraction.One);

    /// <summary>Where the segment starts, as a share of the whole test (inclusive).</summary>
    public Fraction From { get; }

    /// <summary>Where the segment ends, as a share of the whole test (exclusive).</summary>
    public Fraction To { get; }

    /// <summary>The share of the whole test the segment covers, <see cref="To"/> − <see cref="From"/>.</summary>
    public Fraction Length => To - From;

    /// <summary>True for 0:1, all of the test.</summary>
    public bool IsWhole => From == Fraction.Zero && To == Fraction.One;

    /// <summary>"FROM:TO", or "TO" for 0:TO, as k6 reads them; each side a fraction, a decimal or a percentage.</summary>
    public static ExecutionSegment Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Trim().Length == 0)
        {
            return Whole;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var from = colon < 0 ? Fraction.Zero : Point(text[..colon]);
        return new ExecutionSegment(from, Point(colon < 0 ? text : text[(colon + 1)..]));
    }

    internal static Fraction Point(string text) =>
        Fraction.TryParse(text, out var problem) ?? throw new SegmentFormatException(problem!);

    /// <summary>"FROM:TO" with fractions, e.g. "1/3:2/3", as <see cref="Parse"/> reads it.</summary>
    public override string ToString() => $"{From}:{To}";
}
