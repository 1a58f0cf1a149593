using System.Diagnostics;
using System.Globalization;
using System.Text;
using Surge.Engine;
using Surge.Metrics;

namespace Surge.Health;

/// <summary>
/// The generator watching itself. <see cref="Sample"/> runs on the collector thread just before each collect and
/// records, for the interval that ends: this process's CPU as a share of the cores it may use, the machine's CPU,
/// GC pause time, the thread-pool queue and memory. Meanwhile a thread of its own probes scheduler lag five times a
/// second: it sleeps 1 ms and records how late it woke, which is how long a runnable thread of this process waits for
/// a core. A dedicated thread, not a pool timer: waking a thread-pool worker (which spins before it parks again) cost
/// about 3 ms of CPU per probe on a busy 2-core host, a sleeping thread about 0.1 ms.
/// </summary>
internal sealed class GeneratorSampler : IDisposable
{
    private static readonly TimeSpan ProbeWait = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan ProbeRest = TimeSpan.FromMilliseconds(199);

    /// <summary>A probe overdue by this much at a sample is counted then, so a stalled pool still shows its lag.</summary>
    private static readonly TimeSpan StalledProbe = TimeSpan.FromMilliseconds(50);

    private const string ProcStat = "/proc/stat";
    private const string ProcSelfStatm = "/proc/self/statm";

    private readonly MetricsRecorder _recorder;
    private readonly int _cpu;
    private readonly int _machineCpu;
    private readonly int _lag;
    private readonly int _gcPause;
    private readonly int _queue;
    private readonly int _memory;
    private readonly int _gcHeap;
    private readonly int _cores = Environment.ProcessorCount;
    private readonly Thread _probe;
    private readonly ManualResetEvent _stop = new(initialState: false);
    private readonly bool _machineReadable;

    // The aggregate cpu line of /proc/stat fits in well under 256 bytes, and so does /proc/self/statm.
    private readonly byte[] _readBuffer = new byte[256];
    private long _lastWall;
    private TimeSpan _lastCpu;
    private TimeSpan _lastPause;
    private MachineTicks? _lastMachine;

    // Stopwatch ticks at which the sleeping probe should wake; 0 while resting. Whoever swaps it to 0 records the probe.
    private long _probeDue;
    private int _disposed;

    public GeneratorSampler(MetricsRecorder recorder, TagSet tags)
    {
        _recorder = recorder;
        var registry = recorder.Registry;
        _cpu = registry.GetSeries(BuiltinMetrics.GeneratorCpu, tags);
        _machineCpu = registry.GetSeries(BuiltinMetrics.MachineCpu, tags);
        _lag = registry.GetSeries(BuiltinMetrics.SchedulerLag, tags);
        _gcPause = registry.GetSeries(BuiltinMetrics.GcPause, tags);
        _queue = registry.GetSeries(BuiltinMetrics.ThreadPoolQueue, tags);
        _memory = registry.GetSeries(BuiltinMetrics.Memory, tags);
        _gcHeap = registry.GetSeries(BuiltinMetrics.GcHeap, tags);
        _machineReadable = OperatingSystem.IsLinux() && File.Exists(ProcStat);
        _lastWall = Stopwatch.GetTimestamp();
        _lastCpu = Environment.CpuUsage.TotalTime;
        _lastPause = GC.GetTotalPauseDuration();
        _lastMachine = ReadMachine();
        _probe = new Thread(Probe) { IsBackground = true, Name = "surge scheduler-lag probe" };
        _probe.Start();
    }

    /// <summary>Records the interval since the previous call (or since construction).</summary>
    public void Sample()
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        var pause = GC.GetTotalPauseDuration();
        var machine = ReadMachine();
        var workingSet = WorkingSet();
        var due = Volatile.Read(ref _probeDue);
        var stalled = due != 0 && now - due > MonotonicClock.FromTimeSpan(StalledProbe) && Interlocked.CompareExchange(ref _probeDue, 0, due) == due;
        using (var writer = _recorder.BeginWrite())
        {
            writer.AddTrend(_cpu, CpuReadings.Share(_lastCpu, cpu, Stopwatch.GetElapsedTime(_lastWall, now), _cores));
            if (machine is { } after && _lastMachine is { } before)
            {
                writer.AddTrend(_machineCpu, CpuReadings.MachineShare(before, after));
            }
            writer.AddCounter(_gcPause, (pause - _lastPause).TotalMilliseconds);
            writer.AddTrend(_queue, ThreadPool.PendingWorkItemCount);
            writer.SetGauge(_memory, workingSet);
            writer.SetGauge(_gcHeap, GC.GetTotalMemory(forceFullCollection: false));
            if (stalled)
            {
                writer.AddTrend(_lag, Stopwatch.GetElapsedTime(due, now).TotalMilliseconds);
            }
        }
        _lastWall = now;
        _lastCpu = cpu;
        _lastPause = pause;
        _lastMachine = machine ?? _lastMachine;
    }

    /// <summary>The probe thread: rest, then sleep 1 ms and record how late it woke, until disposed.</summary>
    private void Probe()
    {
        while (!_stop.WaitOne(ProbeRest))
        {
            Volatile.Write(ref _probeDue, Stopwatch.GetTimestamp() + MonotonicClock.FromTimeSpan(ProbeWait));
            Thread.Sleep(ProbeWait);
            var now = Stopwatch.GetTimestamp();
            var due = Interlocked.Exchange(ref _probeDue, 0);
            if (due != 0)
            {
                using var writer = _recorder.BeginWrite();
                writer.AddTrend(_lag, Math.Max(0, Stopwatch.GetElapsedTime(due, now).TotalMilliseconds));
            }
        }
    }

    private MachineTicks? ReadMachine() =>
        _machineReadable && ReadFirstLine(ProcStat) is { } line ? CpuReadings.ParseProcStat(line) : null;

    /// <summary>
    /// The resident set from /proc/self/statm (pages) on Linux: one small read, where Environment.WorkingSet builds a
    /// Process object through reflection every time.
    /// </summary>
    private long WorkingSet()
    {
        if (_machineReadable && ReadFirstLine(ProcSelfStatm) is { } line)
        {
            var fields = line.Split(' ', 3);
            if (fields.Length > 1 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pages))
            {
                return pages * Environment.SystemPageSize;
            }
        }
        return Environment.WorkingSet;
    }

    /// <summary>The first line of a small /proc file, read into a buffer kept for the purpose; null when unreadable.</summary>
    private string? ReadFirstLine(string path)
    {
        try
        {
            using var file = File.OpenHandle(path);
            var read = RandomAccess.Read(file, _readBuffer, 0);
            var end = Array.IndexOf(_readBuffer, (byte)'\n', 0, read);
            return Encoding.ASCII.GetString(_readBuffer, 0, end < 0 ? read : end);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _stop.Set();
            _probe.Join();
            _stop.Dispose();
        }
    }
}
