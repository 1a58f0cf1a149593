using System.Diagnostics;

namespace Surge.Engine;

/// <summary>Stopwatch ticks for every measurement; the wall clock is only ever used for labels.</summary>
internal static class MonotonicClock
{
    public static long Now => Stopwatch.GetTimestamp();

    public static long ToMicroseconds(long ticks) => ticks <= 0 ? 0 : (long)(ticks * (1_000_000.0 / Stopwatch.Frequency));

    public static long FromTimeSpan(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static TimeSpan ToTimeSpan(long ticks) => TimeSpan.FromSeconds((double)ticks / Stopwatch.Frequency);
}
