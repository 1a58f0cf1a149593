using System.Collections.Concurrent;
using System.Threading.Tasks.Sources;

namespace Surge.Engine.Executors;

/// <summary>
/// The VUs of an arrival-rate scenario and the arrivals waiting for one. Each VU runs one long-lived loop that parks
/// on its own reusable awaitable between iterations: handing it an arrival allocates nothing and resumes it on the
/// caller's thread (the dispatcher's) up to the iteration's first await, with no hop through the thread pool. A VU
/// that finishes an iteration takes the oldest waiting arrival itself before it parks, as a wrk2 connection sends its
/// next overdue request. Lock-free: an idle queue, a waiting queue and a count of waiting arrivals not yet claimed;
/// each side publishes first and then looks at the other, so an idle VU and a waiting arrival never miss each other.
/// </summary>
/// <remarks>
/// It also knows when the generator, not the server, is why no VU is free (<see cref="GeneratorBehind"/>): while
/// the scenario's first iteration has not completed (the generator's code is still being compiled), and while a VU is
/// busy with an arrival the dispatcher started late (catching up after a pause of its own). Such VUs would have been
/// free on schedule.
/// </remarks>
internal sealed class ArrivalVus
{
    private static readonly Arrival Closed = new(long.MinValue, false);

    private readonly ScenarioRuntime _scenario;
    private readonly int _maxVus;
    private readonly ConcurrentQueue<Vu> _idle = new();
    private readonly ConcurrentQueue<Arrival> _waiting = new();
    private int _unclaimed;
    private int _allocated;
    private int _catchUpsRunning;
    private volatile bool _warm;
    private volatile bool _closed;

    public ArrivalVus(ScenarioRuntime scenario, int preAllocated, int maxVus)
    {
        _scenario = scenario;
        _maxVus = maxVus;
        for (var i = 0; i < preAllocated; i++)
        {
            _idle.Enqueue(Create());
        }
    }

    /// <summary>True while VUs are busy because of the generator rather than the server (see the remarks).</summary>
    public bool GeneratorBehind => !_warm || Volatile.Read(ref _catchUpsRunning) > 0;

    /// <summary>
    /// Starts <paramref name="arrival"/> on a free VU, allocating one up to maxVUs. False when every VU is busy, or
    /// when earlier arrivals are waiting: they go first. Called by the dispatcher only.
    /// </summary>
    public bool TryStart(Arrival arrival)
    {
        if (Volatile.Read(ref _unclaimed) > 0)
        {
            return false;
        }
        if (!_idle.TryDequeue(out var vu))
        {
            if (_allocated >= _maxVus)
            {
                return false;
            }
            vu = Create();
        }
        _scenario.VuStarted();
        vu.Assign(arrival);
        return true;
    }

    /// <summary>
    /// Lets the arrival wait for the next VU that comes free, unless <paramref name="limit"/> arrivals wait already.
    /// Called by the dispatcher only.
    /// </summary>
    public bool TryQueue(Arrival arrival, int limit)
    {
        if (Volatile.Read(ref _unclaimed) >= limit)
        {
            return false;
        }
        _waiting.Enqueue(arrival);
        Interlocked.Increment(ref _unclaimed);
        // A VU may have come free after TryStart looked.
        ServeWaiting(inline: true);
        return true;
    }

    /// <summary>Starts no more arrivals and returns how many were still waiting: they never ran.</summary>
    public int Close()
    {
        _closed = true;
        var neverRan = 0;
        while (TryClaim(out _))
        {
            neverRan++;
        }
        return neverRan;
    }

    /// <summary>Ends the parked loops, once the scenario has drained and no VU is busy.</summary>
    public void Release()
    {
        while (_idle.TryDequeue(out var vu))
        {
            vu.Assign(Closed);
        }
    }

    private Vu Create()
    {
        var vu = new Vu(_scenario.CreateVu());
        _allocated++;
        _ = RunAsync(vu);
        return vu;
    }

    private async Task RunAsync(Vu vu)
    {
        while (await vu.NextAsync().ConfigureAwait(false) is var arrival && arrival != Closed)
        {
            do
            {
                if (arrival.CatchUp)
                {
                    Interlocked.Increment(ref _catchUpsRunning);
                }
                await _scenario.RunIterationAsync(vu.User, arrival.Due).ConfigureAwait(false);
                if (arrival.CatchUp)
                {
                    Interlocked.Decrement(ref _catchUpsRunning);
                }
                if (!_warm)
                {
                    _warm = true;
                }
            }
            while (!_closed && !_scenario.HardStopToken.IsCancellationRequested && TryClaim(out arrival));
            vu.Rearm();
            _idle.Enqueue(vu);
            _scenario.VuStopped();
            if (Volatile.Read(ref _unclaimed) > 0)
            {
                // Hand over through the pool: starting another VU inline here could nest without bound.
                ServeWaiting(inline: false);
            }
        }
    }

    private void ServeWaiting(bool inline)
    {
        while (!_closed && Volatile.Read(ref _unclaimed) > 0 && _idle.TryDequeue(out var vu))
        {
            if (!TryClaim(out var arrival))
            {
                _idle.Enqueue(vu);
                continue;
            }
            _scenario.VuStarted();
            if (inline)
            {
                vu.Assign(arrival);
            }
            else
            {
                vu.AssignFromPool(arrival);
            }
        }
    }

    // Claiming decrements the count before dequeuing, and arrivals are enqueued before they are counted, so a
    // successful claim always finds an arrival in the queue.
    private bool TryClaim(out Arrival arrival)
    {
        var count = Volatile.Read(ref _unclaimed);
        while (count > 0)
        {
            var seen = Interlocked.CompareExchange(ref _unclaimed, count - 1, count);
            if (seen == count)
            {
                return _waiting.TryDequeue(out arrival);
            }
            count = seen;
        }
        arrival = default;
        return false;
    }

    private sealed class Vu(VirtualUser user) : IValueTaskSource<Arrival>, IThreadPoolWorkItem
    {
        private ManualResetValueTaskSourceCore<Arrival> _next;
        private Arrival _handedOver;

        public VirtualUser User { get; } = user;

        public ValueTask<Arrival> NextAsync() => new(this, _next.Version);

        /// <summary>Resumes the parked loop on this thread.</summary>
        public void Assign(Arrival arrival) => _next.SetResult(arrival);

        public void AssignFromPool(Arrival arrival)
        {
            _handedOver = arrival;
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }

        /// <summary>Before the VU is seen idle, so that an arrival handed to it at once resumes the next wait.</summary>
        public void Rearm() => _next.Reset();

        void IThreadPoolWorkItem.Execute() => Assign(_handedOver);

        public Arrival GetResult(short token) => _next.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _next.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _next.OnCompleted(continuation, state, token, flags);
    }
}

/// <summary>
/// One arrival of an open model: when it was due (Stopwatch ticks), and whether it came due while the dispatcher
/// was behind schedule (catching up after a pause of the generator's own).
/// </summary>
internal readonly record struct Arrival(long Due, bool CatchUp);
