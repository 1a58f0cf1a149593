using System.Runtime.InteropServices;

namespace Surge.Engine.Executors;

/// <summary>
/// Puts the calling thread to sleep until a Stopwatch timestamp, without spinning. The long stretch sleeps on the
/// stop token's wait handle (a stop wakes it at once); the last two milliseconds, where .NET's millisecond timeouts are
/// too coarse, sleep in nanosleep, which wakes within the kernel's timer slack (50 µs by default on Linux). Yielding
/// or spinning through that stretch instead kept a core busy whenever starts were a millisecond apart or closer.
/// Where nanosleep is missing (Windows) the last stretch yields, which costs CPU near each start.
/// </summary>
internal static class PreciseWait
{
    private static readonly long Coarse = MonotonicClock.FromTimeSpan(TimeSpan.FromMilliseconds(2));
    private static readonly double NanosecondsPerTick = 1e9 / System.Diagnostics.Stopwatch.Frequency;
    private static bool _hasNanosleep = !OperatingSystem.IsWindows();

    public static void Until(long due, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var remaining = due - MonotonicClock.Now;
            if (remaining <= 0)
            {
                return;
            }
            if (remaining > Coarse)
            {
                stop.WaitHandle.WaitOne((int)Math.Min(int.MaxValue, MonotonicClock.ToTimeSpan(remaining - Coarse).TotalMilliseconds) + 1);
            }
            else if (!_hasNanosleep || !TrySleep(remaining))
            {
                Thread.Yield();
            }
        }
    }

    private static bool TrySleep(long ticks)
    {
        var nanoseconds = (long)(ticks * NanosecondsPerTick);
        var request = new TimeSpec { Seconds = (nint)(nanoseconds / 1_000_000_000), Nanoseconds = (nint)(nanoseconds % 1_000_000_000) };
        try
        {
            // Interrupted by a signal (EINTR) it returns early; the caller's loop sleeps the rest.
            _ = NanoSleep(in request, IntPtr.Zero);
            return true;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            _hasNanosleep = false;
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "nanosleep")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int NanoSleep(in TimeSpec request, IntPtr remaining);
}
