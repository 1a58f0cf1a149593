using System.Globalization;
using System.Text;

namespace Surge.Plans;

/// <summary>
/// k6's duration text: a sequence of number+unit parts ("1h2m3s", "2.5s", "500ms", "250us") where units are
/// h, m, s, ms and us/µs; a bare number means milliseconds, as in k6.
/// </summary>
public static class Durations
{
    private static readonly decimal MaxTicks = TimeSpan.MaxValue.Ticks;

    /// <summary>The duration <paramref name="text"/> spells, rounded to the nearest tick (100 ns).</summary>
    /// <exception cref="FormatException">The text is not a duration, or is longer than <see cref="TimeSpan.MaxValue"/>.</exception>
    public static TimeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var value)
            ? value
            : throw new FormatException($"'{text}' is not a duration: write e.g. 30s, 1m30s, 2.5s, 500ms or 1h");
    }

    /// <summary>
    /// A number other than 0 written without a unit where a user writes a duration (YAML, --duration, --stage): k6
    /// reads it as milliseconds, Artillery users mean seconds, so Surge asks instead of guessing.
    /// </summary>
    public static bool HasNoUnit(string text) =>
        text.Any(char.IsAsciiDigit) && text.All(c => char.IsAsciiDigit(c) || c is '.' or '-' or '+')
        && !(double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number == 0);

    /// <summary>The message for a duration without a unit (<see cref="HasNoUnit"/>): "<paramref name="what"/>: '5' has no unit: ... write 5s or 5ms".</summary>
    public static string NoUnit(string what, string text) =>
        $"{what}: '{text}' has no unit: {text} ms or {text} s? write {text}s or {text}ms";

    /// <summary>
    /// Reads <paramref name="text"/> as <see cref="Parse"/> does; false (and zero) when it is null, empty, not a
    /// duration, or too long for a <see cref="TimeSpan"/>. Negative durations are not accepted.
    /// </summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }
        if (IsNumber(text))
        {
            return TryScale(text, TimeSpan.TicksPerMillisecond, out var bareTicks) && TryToTimeSpan(bareTicks, out value);
        }
        decimal ticks = 0;
        var i = 0;
        while (i < text.Length)
        {
            var numberStart = i;
            while (i < text.Length && IsNumberChar(text[i]))
            {
                i++;
            }
            var unitStart = i;
            while (i < text.Length && !IsNumberChar(text[i]))
            {
                i++;
            }
            var unitTicks = UnitTicks(text.AsSpan(unitStart, i - unitStart));
            if (unitStart == numberStart || unitTicks == 0
                || !TryScale(text.AsSpan(numberStart, unitStart - numberStart), unitTicks, out var partTicks))
            {
                return false;
            }
            ticks += partTicks;
            if (ticks > MaxTicks)
            {
                return false;
            }
        }
        return TryToTimeSpan(ticks, out value);
    }

    /// <summary>Compact k6-style text that <see cref="Parse"/> reads back: "1m30s", "1h", "2.5s", "500ms", "250µs".</summary>
    public static string Format(TimeSpan value)
    {
        if (value == TimeSpan.Zero)
        {
            return "0s";
        }
        // decimal keeps TimeSpan.MinValue's magnitude, which a long cannot hold.
        var ticks = Math.Abs((decimal)value.Ticks);
        var text = new StringBuilder(value < TimeSpan.Zero ? "-" : "");
        if (ticks < TimeSpan.TicksPerMillisecond)
        {
            return text.Append(Number(ticks / TimeSpan.TicksPerMicrosecond)).Append("µs").ToString();
        }
        if (ticks < TimeSpan.TicksPerSecond)
        {
            return text.Append(Number(ticks / TimeSpan.TicksPerMillisecond)).Append("ms").ToString();
        }
        var hours = decimal.Floor(ticks / TimeSpan.TicksPerHour);
        ticks -= hours * TimeSpan.TicksPerHour;
        var minutes = decimal.Floor(ticks / TimeSpan.TicksPerMinute);
        ticks -= minutes * TimeSpan.TicksPerMinute;
        if (hours > 0)
        {
            text.Append(Number(hours)).Append('h');
        }
        if (minutes > 0)
        {
            text.Append(Number(minutes)).Append('m');
        }
        if (ticks > 0)
        {
            text.Append(Number(ticks / TimeSpan.TicksPerSecond)).Append('s');
        }
        return text.ToString();
    }

    private static string Number(decimal value) => value.ToString("0.#######", CultureInfo.InvariantCulture);

    private static bool IsNumberChar(char c) => char.IsAsciiDigit(c) || c == '.';

    private static bool IsNumber(string text)
    {
        foreach (var c in text)
        {
            if (!IsNumberChar(c))
            {
                return false;
            }
        }
        return true;
    }

    private static long UnitTicks(ReadOnlySpan<char> unit) => unit switch
    {
        "h" => TimeSpan.TicksPerHour,
        "m" => TimeSpan.TicksPerMinute,
        "s" => TimeSpan.TicksPerSecond,
        "ms" => TimeSpan.TicksPerMillisecond,
        // Go, and so k6, accept the micro sign and the Greek mu.
        "us" or "µs" or "μs" => TimeSpan.TicksPerMicrosecond,
        _ => 0,
    };

    private static bool TryScale(ReadOnlySpan<char> number, long unitTicks, out decimal ticks)
    {
        ticks = 0;
        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || amount > MaxTicks / unitTicks)
        {
            return false;
        }
        ticks = amount * unitTicks;
        return true;
    }

    private static bool TryToTimeSpan(decimal ticks, out TimeSpan value)
    {
        var rounded = decimal.Round(ticks, MidpointRounding.AwayFromZero);
        value = rounded <= MaxTicks ? TimeSpan.FromTicks((long)rounded) : TimeSpan.Zero;
        return rounded <= MaxTicks;
    }
}
