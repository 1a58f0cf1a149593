using System.Globalization;
using Surge.Metrics;

namespace Surge.Reporting;

/// <summary>k6's way of writing numbers for people: durations in µs/ms/s/m/h, bytes in SI units, rates as percentages.</summary>
internal static class DisplayFormat
{
    private const double HistogramResolution = 1024;

    private static readonly string[] ByteUnits = ["B", "kB", "MB", "GB", "TB", "PB"];

    /// <summary>A duration given in milliseconds: "850µs", "1.2ms", "123.45ms", "1.5s", "1m2s", "1h0m5s".</summary>
    public static string Duration(double milliseconds)
    {
        if (milliseconds == 0)
        {
            return "0s";
        }
        var micros = Math.Round(milliseconds * 1000, 2);
        if (Math.Abs(micros) < 1000)
        {
            return Number2(micros) + "µs";
        }
        var millis = Math.Round(milliseconds, 2);
        if (Math.Abs(millis) < 1000)
        {
            return Number2(millis) + "ms";
        }
        var seconds = Math.Round(milliseconds / 1000, 2);
        if (Math.Abs(seconds) < 60)
        {
            return Number2(seconds) + "s";
        }
        return WholeSeconds(milliseconds / 1000);
    }

    public static string Duration(TimeSpan duration) => Duration(duration.TotalMilliseconds);

    /// <summary>Go's style for long spans, rounded to the second: "1m2s", "1h0m5s".</summary>
    private static string WholeSeconds(double seconds)
    {
        var sign = seconds < 0 ? "-" : "";
        var total = (long)Math.Round(Math.Abs(seconds));
        var hours = total / 3600;
        var minutes = total / 60 % 60;
        var rest = total % 60;
        return hours > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{sign}{hours}h{minutes}m{rest}s")
            : string.Create(CultureInfo.InvariantCulture, $"{sign}{minutes}m{rest}s");
    }

    /// <summary>Bytes in SI units as k6 (go-humanize) shows them: "421 B", "6.3 kB", "375 kB".</summary>
    public static string Bytes(double bytes)
    {
        var unit = 0;
        var value = bytes;
        while (Math.Abs(value) >= 1000 && unit < ByteUnits.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        var format = unit > 0 && Math.Abs(value) < 10 ? "0.0" : "0";
        return value.ToString(format, CultureInfo.InvariantCulture) + " " + ByteUnits[unit];
    }

    /// <summary>When a run started, in UTC to the second: "2026-11-21 05:00:00Z".</summary>
    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A share in [0, 1] as a percentage with two decimals: "99.50%"; never "-0.00%".</summary>
    public static string Percent(double share) => Unsigned(Math.Round(share * 100, 2)).ToString("0.00", CultureInfo.InvariantCulture) + "%";

    /// <summary>A plain number with up to six decimals, trailing zeros dropped; never "-0".</summary>
    public static string Number(double value) => Unsigned(Math.Round(value, 6)).ToString("0.######", CultureInfo.InvariantCulture);

    /// <summary>
    /// A percentile of plain numbers (bytes, items) with only the digits the histogram resolves: it reports values
    /// within 1/1024 of a recorded one, so the median of 19808-byte bodies reads "19808", not the bucket's edge
    /// 19808.255. (Min, max and avg are exact and need no such care.)
    /// </summary>
    public static string Resolved(double value)
    {
        if (value == 0 || !double.IsFinite(value))
        {
            return Number(value);
        }
        var decimals = (int)Math.Clamp(Math.Ceiling(-Math.Log10(Math.Abs(value) / HistogramResolution)), 0, 3);
        return Number(Math.Round(value, decimals));
    }

    // Rounding a small negative value gives -0, which .NET writes as "-0".
    private static double Unsigned(double rounded) => rounded == 0 ? 0 : rounded;

    private static string Number2(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>One value of a metric in its display unit: a duration for time, bytes for data, else a number.</summary>
    public static string Value(double value, MetricContains contains) => contains switch
    {
        MetricContains.Time => Duration(value),
        MetricContains.Data => Bytes(value),
        _ => Number(value),
    };

    /// <summary>
    /// A statistic as thresholds and summaries name it: trend counts and rate-kind shares get their own unit,
    /// everything else the metric's display unit.
    /// </summary>
    public static string Stat(MetricDefinition? definition, string stat, double value)
    {
        var kind = definition?.Kind ?? MetricKind.Trend;
        var contains = definition?.Contains ?? MetricContains.Default;
        return (kind, stat) switch
        {
            (MetricKind.Rate, "rate") => Percent(value),
            (_, "count") or (MetricKind.Rate, _) => Number(value),
            (MetricKind.Counter, "rate") => (contains == MetricContains.Data ? Bytes(value) : Number(value)) + "/s",
            (MetricKind.Trend, _) when contains == MetricContains.Default && (stat == "med" || stat.StartsWith("p(", StringComparison.Ordinal)) => Resolved(value),
            _ => Value(value, contains),
        };
    }
}
