using System.Globalization;
using System.Text;

namespace Surge.Grpc;

/// <summary>
/// The well-known types whose proto3 JSON is not an object of their fields: Timestamp ("1972-01-01T10:00:20.021Z"),
/// Duration ("1.5s"), FieldMask ("fooBar,baz"), the wrappers (their bare value), Struct, Value, ListValue and Empty.
/// </summary>
internal static class WellKnownTypes
{
    public const string Timestamp = "google.protobuf.Timestamp";
    public const string Duration = "google.protobuf.Duration";
    public const string FieldMask = "google.protobuf.FieldMask";
    public const string Struct = "google.protobuf.Struct";
    public const string Value = "google.protobuf.Value";
    public const string ListValue = "google.protobuf.ListValue";
    public const string Empty = "google.protobuf.Empty";
    public const string Any = "google.protobuf.Any";

    private const long MinTimestampSeconds = -62135596800; // 0001-01-01T00:00:00Z
    private const long MaxTimestampSeconds = 253402300799; // 9999-12-31T23:59:59Z
    private const long MaxDurationSeconds = 315576000000;

    public static bool IsWrapper(string fullName) => fullName is "google.protobuf.DoubleValue" or "google.protobuf.FloatValue"
        or "google.protobuf.Int64Value" or "google.protobuf.UInt64Value" or "google.protobuf.Int32Value" or "google.protobuf.UInt32Value"
        or "google.protobuf.BoolValue" or "google.protobuf.StringValue" or "google.protobuf.BytesValue";

    public static bool IsSpecial(string fullName) => IsWrapper(fullName) || fullName is Timestamp or Duration or FieldMask or Struct or Value or ListValue or Empty or Any;

    /// <summary>Whether the type is written as a JSON string, so a template can fill it.</summary>
    public static bool IsStringShaped(string fullName) => fullName is Timestamp or Duration or FieldMask;

    /// <summary>Writes the message body of a Timestamp, Duration or FieldMask from its JSON text; the reason it does not fit, or null.</summary>
    public static string? WriteFromString(string fullName, string text, WireBuffer body) => fullName switch
    {
        Timestamp => TryParseTimestamp(text, out var seconds, out var nanos) ? WriteSecondsNanos(body, seconds, nanos)
            : "needs an RFC 3339 time such as \"2024-05-01T12:00:00Z\" (years 0001 to 9999)",
        Duration => TryParseDuration(text, out var seconds, out var nanos) ? WriteSecondsNanos(body, seconds, nanos)
            : "needs a duration in seconds with an 's', such as \"1.5s\" (at most 315576000000s)",
        _ => WriteFieldMask(text, body),
    };

    private static string? WriteSecondsNanos(WireBuffer body, long seconds, int nanos)
    {
        if (seconds != 0)
        {
            body.WriteTag(1, WireType.Varint);
            body.WriteVarint((ulong)seconds);
        }
        if (nanos != 0)
        {
            body.WriteTag(2, WireType.Varint);
            body.WriteVarint((ulong)(long)nanos);
        }
        return null;
    }

    private static string? WriteFieldMask(string text, WireBuffer body)
    {
        if (text.Length == 0)
        {
            return null;
        }
        foreach (var path in text.Split(','))
        {
            var snake = new StringBuilder();
            foreach (var c in path)
            {
                if (c == '_' || !(char.IsAsciiLetterOrDigit(c) || c == '.'))
                {
                    return $"needs comma-separated lowerCamelCase paths such as \"name,address.city\"; '{path}' is not one";
                }
                if (char.IsAsciiLetterUpper(c))
                {
                    snake.Append('_').Append(char.ToLowerInvariant(c));
                }
                else
                {
                    snake.Append(c);
                }
            }
            body.WriteTag(1, WireType.LengthDelimited);
            body.WriteString(snake.ToString());
        }
        return null;
    }

    public static bool TryParseTimestamp(string text, out long seconds, out int nanos)
    {
        seconds = 0;
        nanos = 0;
        // yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)
        if (text.Length < 20 || text[10] is not ('T' or 't') || !DateTime.TryParseExact(text.AsSpan(0, 19), "yyyy-MM-dd'T'HH:mm:ss",
            CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time))
        {
            return false;
        }
        var rest = text.AsSpan(19);
        if (rest.Length > 0 && rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
            {
                digits++;
            }
            if (digits == 1 || digits > 10 || !TryFraction(rest[1..digits], out nanos))
            {
                return false;
            }
            rest = rest[digits..];
        }
        long offset;
        if (rest is "Z" or "z")
        {
            offset = 0;
        }
        else if (rest.Length == 6 && rest[0] is '+' or '-' && rest[3] == ':'
            && int.TryParse(rest[1..3], NumberStyles.None, CultureInfo.InvariantCulture, out var hours) && hours < 24
            && int.TryParse(rest[4..6], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) && minutes < 60)
        {
            offset = (rest[0] == '-' ? -1 : 1) * (hours * 3600L + minutes * 60L);
        }
        else
        {
            return false;
        }
        seconds = (time - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerSecond - offset;
        return seconds is >= MinTimestampSeconds and <= MaxTimestampSeconds;
    }

    public static bool TryParseDuration(string text, out long seconds, out int nanos)
    {
        seconds = 0;
        nanos = 0;
        if (text.Length < 2 || text[^1] != 's')
        {
            return false;
        }
        var body = text.AsSpan(0, text.Length - 1);
        var negative = body.Length > 0 && body[0] == '-';
        if (negative)
        {
            body = body[1..];
        }
        var dot = body.IndexOf('.');
        var whole = dot < 0 ? body : body[..dot];
        if (whole.Length == 0 || !long.TryParse(whole, NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds > MaxDurationSeconds)
        {
            return false;
        }
        if (dot >= 0 && !TryFraction(body[(dot + 1)..], out nanos))
        {
            return false;
        }
        if (negative)
        {
            seconds = -seconds;
            nanos = -nanos;
        }
        return true;
    }

    // 1 to 9 fractional digits as nanoseconds.
    private static bool TryFraction(ReadOnlySpan<char> digits, out int nanos)
    {
        nanos = 0;
        if (digits.Length is 0 or > 9)
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
            nanos = nanos * 10 + (c - '0');
        }
        for (var i = digits.Length; i < 9; i++)
        {
            nanos *= 10;
        }
        return true;
    }

    /// <summary>As proto3 JSON writes a Timestamp: UTC, with 0, 3, 6 or 9 fractional digits.</summary>
    public static string FormatTimestamp(long seconds, int nanos)
    {
        if (seconds is < MinTimestampSeconds or > MaxTimestampSeconds || nanos is < 0 or > 999_999_999)
        {
            return $"invalid timestamp ({seconds.ToString(CultureInfo.InvariantCulture)}s {nanos.ToString(CultureInfo.InvariantCulture)}ns)";
        }
        var time = DateTime.UnixEpoch.AddSeconds(seconds);
        return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + Fraction(nanos) + "Z";
    }

    /// <summary>As proto3 JSON writes a Duration: seconds with 0, 3, 6 or 9 fractional digits and an 's'.</summary>
    public static string FormatDuration(long seconds, int nanos)
    {
        var negative = seconds < 0 || nanos < 0;
        var text = (negative ? "-" : "") + Math.Abs(seconds).ToString(CultureInfo.InvariantCulture) + Fraction(Math.Abs(nanos)) + "s";
        return text;
    }

    private static string Fraction(int nanos) =>
        nanos == 0 ? ""
        : nanos % 1_000_000 == 0 ? "." + (nanos / 1_000_000).ToString("D3", CultureInfo.InvariantCulture)
        : nanos % 1_000 == 0 ? "." + (nanos / 1_000).ToString("D6", CultureInfo.InvariantCulture)
        : "." + nanos.ToString("D9", CultureInfo.InvariantCulture);

    /// <summary>FieldMask paths as proto3 JSON writes them: lowerCamelCase, joined by commas.</summary>
    public static string FormatFieldMask(IEnumerable<string> paths) => string.Join(",", paths.Select(path =>
    {
        var camel = new StringBuilder(path.Length);
        var upper = false;
        foreach (var c in path)
        {
            if (c == '_')
            {
                upper = true;
                continue;
            }
            camel.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return camel.ToString();
    }));
}
