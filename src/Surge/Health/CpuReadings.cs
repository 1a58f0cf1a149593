using System.Globalization;

namespace Surge.Health;

/// <summary>The arithmetic of CPU shares from two readings, apart from where the readings come from so it can be tested.</summary>
internal static class CpuReadings
{
    /// <summary>
    /// CPU time used between two readings as a share of what <paramref name="cores"/> could have used in the wall time
    /// between them, clamped to 0..1 (readings of CPU time and of the clock are not taken at the same instant).
    /// </summary>
    public static double Share(TimeSpan cpuBefore, TimeSpan cpuAfter, TimeSpan wall, int cores)
    {
        if (wall <= TimeSpan.Zero || cores <= 0)
        {
            return 0;
        }
        return Math.Clamp((cpuAfter - cpuBefore).TotalSeconds / (wall.TotalSeconds * cores), 0, 1);
    }

    /// <summary>The machine's busy share between two readings of /proc/stat's first line; 0 when no time passed.</summary>
    public static double MachineShare(MachineTicks before, MachineTicks after)
    {
        var total = after.Total - before.Total;
        return total <= 0 ? 0 : Math.Clamp((double)(after.Busy - before.Busy) / total, 0, 1);
    }

    /// <summary>
    /// Parses the aggregate `cpu` line of /proc/stat: user nice system idle iowait irq softirq steal [guest guest_nice],
    /// in clock ticks. Idle and iowait are idle; guest time is already counted in user and nice, so it is left out.
    /// Null when the line is not that line.
    /// </summary>
    public static MachineTicks? ParseProcStat(string line)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields[0] != "cpu")
        {
            return null;
        }
        var values = new long[Math.Min(fields.Length - 1, 8)];
        for (var i = 0; i < values.Length; i++)
        {
            if (!long.TryParse(fields[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }
        var idle = values[3] + (values.Length > 4 ? values[4] : 0);
        var total = values.Sum();
        return new MachineTicks(total - idle, total);
    }
}

/// <summary>Cumulative busy and total clock ticks of every core of the machine.</summary>
internal readonly record struct MachineTicks(long Busy, long Total);
