using System.Diagnostics;

namespace Surge.SampleApi.Hosting;

/// <summary>
/// GET /capacity's server: a fixed number of slots, each serving one request at a time for the fixed service time, a
/// bounded first-come-first-served line in front of them, and 503 beyond it. The slots are kept on the server's
/// clock, not on timers: a request's service starts when the earliest slot frees up and ends exactly one service
/// time later, and its response is sent then (or as soon after as the machine manages). A late timer or a busy
/// thread pool delays a response but never the next request's service, so the capacity is exactly
/// concurrency / service time even on a loaded machine. It measures itself, so a test can hold a load generator's
/// numbers against what the server saw.
/// </summary>
internal sealed class CapacityLimiter(CapacityOptions options)
{
    private readonly Lock _lock = new();
    private readonly long[] _slotFreeAt = new long[options.Concurrency];
    private readonly long _serviceTicks = (long)Math.Ceiling(options.ServiceTime.TotalSeconds * Stopwatch.Frequency);
    private long _served;
    private long _rejected;
    private long _lateTicks;
    private long _firstStart;
    private long _lastEnd;
    private int _maxInService;

    public CapacityOptions Options => options;

    /// <summary>False when every slot is busy and the line is full: the caller answers 503.</summary>
    public async ValueTask<bool> TryServeAsync()
    {
        long end;
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            var earliest = 0;
            var inService = 0;
            var waiting = 0;
            for (var slot = 0; slot < _slotFreeAt.Length; slot++)
            {
                var busyFor = _slotFreeAt[slot] - now;
                if (busyFor > 0)
                {
                    // A slot's work ahead is back to back: one request in service, the rest of it waiting.
                    inService++;
                    waiting += (int)((busyFor + _serviceTicks - 1) / _serviceTicks) - 1;
                }

                earliest = _slotFreeAt[slot] < _slotFreeAt[earliest] ? slot : earliest;
            }

            var start = Math.Max(now, _slotFreeAt[earliest]);
            if (start > now && waiting >= options.Queue)
            {
                _rejected++;
                return false;
            }

            end = start + _serviceTicks;
            _slotFreeAt[earliest] = end;
            _firstStart = _firstStart == 0 ? start : _firstStart;
            _lastEnd = Math.Max(_lastEnd, end);
            _maxInService = Math.Max(_maxInService, start == now ? inService + 1 : inService);
        }

        var remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), end);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }

        lock (_lock)
        {
            _served++;
            _lateTicks += Math.Max(0, Stopwatch.GetTimestamp() - end);
        }

        return true;
    }

    public CapacityStats Snapshot()
    {
        lock (_lock)
        {
            var now = Stopwatch.GetTimestamp();
            var window = Stopwatch.GetElapsedTime(_firstStart, _lastEnd);
            return new CapacityStats(
                options.Concurrency,
                options.ServiceTime.TotalMilliseconds,
                options.Queue,
                options.RequestsPerSecond,
                _served,
                _rejected,
                _slotFreeAt.Count(freeAt => freeAt > now),
                _maxInService,
                _served == 0 ? 0 : Stopwatch.GetElapsedTime(0, _lateTicks).TotalMilliseconds / _served,
                _served == 0 || window <= TimeSpan.Zero ? 0 : _served / window.TotalSeconds);
        }
    }

    /// <summary>Zeroes the counters; requests in service or in line keep their slots.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            (_served, _rejected, _lateTicks, _firstStart, _lastEnd) = (0, 0, 0, 0, 0);
            var now = Stopwatch.GetTimestamp();
            _maxInService = _slotFreeAt.Count(freeAt => freeAt > now);
        }
    }
}
