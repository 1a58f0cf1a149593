namespace Surge.Http.Http1;

/// <summary>
/// Enforces request timeouts and VU interrupts for every <see cref="Http1Client"/> of a run from one timer, so that
/// a request itself arms no timer and registers no callback (both take locks). Each sweep aborts the connection of
/// any request past its deadline or whose VU was told to stop; the client then reports a timeout or an interrupt.
/// Precision is the sweep interval, ample for timeouts measured in seconds.
/// </summary>
internal sealed class RequestWatchdog : IDisposable
{
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(20);

    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private readonly HashSet<Http1Client> _clients = [];

    public RequestWatchdog()
    {
        _timer = new Timer(_ => Sweep(), null, SweepInterval, SweepInterval);
    }

    internal void Watch(Http1Client client)
    {
        lock (_lock)
        {
            _clients.Add(client);
        }
    }

    internal void Forget(Http1Client client)
    {
        lock (_lock)
        {
            _clients.Remove(client);
        }
    }

    private void Sweep()
    {
        var now = Engine.MonotonicClock.Now;
        lock (_lock)
        {
            foreach (var client in _clients)
            {
                client.AbortIfOverdue(now);
            }
        }
    }

    public void Dispose() => _timer.Dispose();
}
