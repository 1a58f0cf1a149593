using System.Globalization;
using System.Numerics;

namespace Surge.Plans.Segments;

/// <summary>
/// An exact rational in lowest terms, for execution segments: k6 splits work with exact
/// fractions (1/3 is not 0.333...), so that the parts of a sequence add up to exactly the whole.
/// </summary>
public readonly record struct Fraction : IComparable<Fraction>
{
    /// <summary><paramref name="numerator"/>/<paramref name="denominator"/>, reduced to lowest terms with a positive denominator.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="denominator"/> is 0.</exception>
    public Fraction(BigInteger numerator, BigInteger denominator)
    {
        if (denominator.IsZero)
        {
            throw new DivideByZeroException("a fraction's denominator cannot be 0");
        }
        if (denominator.Sign < 0)
        {
            (numerator, denominator) = (-numerator, -denominator);
        }
        var divisor = BigInteger.GreatestCommonDivisor(numerator, denominator);
        Numerator = divisor.IsOne || divisor.IsZero ? numerator : numerator / divisor;
        Denominator = divisor.IsOne || divisor.IsZero ? denominator : denominator / divisor;
    }

    /// <summary>0/1, the start of a whole test.</summary>
    public static Fraction Zero { get; } = new(0, 1);

    /// <summary>1/1, the end of a whole test.</summary>
    public static Fraction One { get; } = new(1, 1);

    /// <summary>The numerator in lowest terms; carries the sign.</summary>
    public BigInteger Numerator { get; }

    /// <summary>The denominator in lowest terms; always positive.</summary>
    public BigInteger Denominator { get; }

    /// <summary>
    /// k6's forms: a fraction (1/3), a decimal (0.5), a whole number (1) or a percentage (25%, 12.5%). Null, with the
    /// reason, when <paramref name="text"/> is none of them.
    /// </summary>
    public static Fraction? TryParse(string text, out string? problem)
    {
        problem = null;
        var trimmed = text.Trim();
        if (trimmed.EndsWith('%'))
        {
            if (Decimal(trimmed[..^1]) is { } percent)
            {
                return percent / new Fraction(100, 1);
            }
            problem = $"'{text}' is not a percentage";
            return null;
        }
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            if (Decimal(trimmed[..slash]) is { } top && Decimal(trimmed[(slash + 1)..]) is { } bottom)
            {
                if (bottom == Zero)
                {
                    problem = $"'{text}' divides by zero";
                    return null;
                }
                return top / bottom;
            }
        }
        else if (Decimal(trimmed) is { } value)
        {
            return value;
        }
        problem = $"'{text}' is not a fraction (1/3), a decimal (0.5) or a percentage (25%)";
        return null;
    }

    // Digits with at most one decimal point, and an optional leading minus (so that -1/2 is refused for its value, not its spelling).
    private static Fraction? Decimal(string text)
    {
        var negative = text.StartsWith('-');
        var digits = negative ? text[1..] : text;
        var point = digits.IndexOf('.', StringComparison.Ordinal);
        var whole = point < 0 ? digits : digits[..point];
        var decimals = point < 0 ? "" : digits[(point + 1)..];
        if (whole.Length + decimals.Length == 0 || whole.Length + decimals.Length > 18
            || !whole.All(char.IsAsciiDigit) || !decimals.All(char.IsAsciiDigit))
        {
            return null;
        }
        var numerator = BigInteger.Parse(whole + decimals is { Length: > 0 } all ? all : "0", CultureInfo.InvariantCulture);
        return new Fraction(negative ? -numerator : numerator, BigInteger.Pow(10, decimals.Length));
    }

    /// <summary>The exact sum.</summary>
    public static Fraction operator +(Fraction a, Fraction b) =>
        new((a.Numerator * b.Denominator) + (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    /// <summary>The exact difference.</summary>
    public static Fraction operator -(Fraction a, Fraction b) =>
        new((a.Numerator * b.Denominator) - (b.Numerator * a.Denominator), a.Denominator * b.Denominator);

    /// <summary>The exact product.</summary>
    public static Fraction operator *(Fraction a, Fraction b) => new(a.Numerator * b.Numerator, a.Denominator * b.Denominator);

    /// <summary>The exact quotient.</summary>
    /// <exception cref="DivideByZeroException"><paramref name="b"/> is zero.</exception>
    public static Fraction operator /(Fraction a, Fraction b) => new(a.Numerator * b.Denominator, a.Denominator * b.Numerator);

    /// <summary>True when <paramref name="a"/> is smaller, compared exactly.</summary>
    public static bool operator <(Fraction a, Fraction b) => a.CompareTo(b) < 0;

    /// <summary>True when <paramref name="a"/> is larger, compared exactly.</summary>
    public static bool operator >(Fraction a, Fraction b) => a.CompareTo(b) > 0;

    /// <summary>True when <paramref name="a"/> is smaller or equal, compared exactly.</summary>
    public static bool operator <=(Fraction a, Fraction b) => a.CompareTo(b) <= 0;

    /// <summary>True when <paramref name="a"/> is larger or equal, compared exactly.</summary>
    public static bool operator >=(Fraction a, Fraction b) => a.CompareTo(b) >= 0;

    /// <summary>Orders by value, exactly (cross-multiplied, no rounding).</summary>
    public int CompareTo(Fraction other) => (Numerator * other.Denominator).CompareTo(other.Numerator * Denominator);

    /// <summary>The value as a double, approximate, for display and arithmetic that need not be exact.</summary>
    public double ToDouble() => (double)Numerator / (double)Denominator;

    /// <summary>As k6 writes fractions: "1/3", or "1" for whole numbers.</summary>
    public override string ToString() => Denominator.IsOne
        ? Numerator.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Numerator}/{Denominator}");
}
