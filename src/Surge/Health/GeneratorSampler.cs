using System.Diagnostics;
using Surge.Engine;
using Surge.Metrics;

namespace Surge.Health;

/// <summary>
/// The generator watching itself. <see cref="Sample"/> runs on the collector thread just before each collect and
/// records, for the interval that ends: this process's CPU as a share of the cores it may use, the machine's CPU,
/// GC pause time, the thread-pool queue and memory. Meanwhile a one-shot timer probes scheduler lag ten times a
/// second: it asks for 1 ms and records how late its callback ran. The callback runs on the thread pool, where
/// iterations and the executors' timers run, so the probe is late exactly when they are. About 20 timer callbacks
/// and one sample a second: far below 1% of a core.
/// </summary>
public sealed class GeneratorSampler : IDisposable
{
    private static readonly TimeSpan ProbeWait = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan ProbeRest = TimeSpan.FromMilliseconds(99);

    /// <summary>A probe overdue by this much at a sample is counted then, so a stalled pool still shows its lag.</summary>
    private static readonly TimeSpan StalledProbe = TimeSpan.FromMilliseconds(50);

    private const string ProcStat = "/proc/stat";

    private readonly MetricsRecorder _recorder;
    private readonly int _cpu;
    private readonly int _machineCpu;
    private readonly int _lag;
    private readonly int _gcPause;
    private readonly int _queue;
    private readonly int _memory;
    private readonly int _gcHeap;
    private readonly int _cores = Environment.ProcessorCount;
    private readonly Timer _probe;
    private readonly bool _machineReadable;
    private long _lastWall;
    private TimeSpan _lastCpu;
    private TimeSpan _lastPause;
    private MachineTicks? _lastMachine;

    // Stopwatch ticks at which the armed probe should fire; 0 while resting. Whoever swaps it to 0 records the probe.
    private long _probeDue;

    // Only the timer callback touches this, and its callbacks never overlap: each one arms the next.
    private bool _measuring;
    private bool _disposed;

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
        _probe = new Timer(OnProbe, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _probe.Change(ProbeRest, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Records the interval since the previous call (or since construction).</summary>
    public void Sample()
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        var pause = GC.GetTotalPauseDuration();
        var machine = ReadMachine();
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
            writer.SetGauge(_memory, Environment.WorkingSet);
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

    private void OnProbe(object? state)
    {
        var now = Stopwatch.GetTimestamp();
        TimeSpan next;
        if (!_measuring)
        {
            _measuring = true;
            Volatile.Write(ref _probeDue, now + MonotonicClock.FromTimeSpan(ProbeWait));
            next = ProbeWait;
        }
        else
        {
            _measuring = false;
            var due = Interlocked.Exchange(ref _probeDue, 0);
            if (due != 0)
            {
                using var writer = _recorder.BeginWrite();
                writer.AddTrend(_lag, Math.Max(0, Stopwatch.GetElapsedTime(due, now).TotalMilliseconds));
            }
            next = ProbeRest;
        }
        lock (_probe)
        {
            if (!_disposed)
            {
                _probe.Change(next, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private MachineTicks? ReadMachine()
    {
        if (!_machineReadable)
        {
            return null;
        }
        try
        {
            using var reader = new StreamReader(ProcStat);
            return reader.ReadLine() is { } line ? CpuReadings.ParseProcStat(line) : null;
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
        lock (_probe)
        {
            _disposed = true;
        }
        _probe.Dispose();
    }
}
