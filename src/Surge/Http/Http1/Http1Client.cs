using System.Net.Sockets;
using System.Runtime.CompilerServices;
using Surge.Engine;
using Surge.Plans;

namespace Surge.Http.Http1;

/// <summary>
/// One VU's HTTP/1.1 client. Takes a connection from its source (the VU's own, or the run's shared pool), writes the
/// prepared request, reads the response, and times k6's phases from the wire. A keep-alive connection the server
/// closed while idle is retried once on a fresh one, as browsers and HttpClient do. Timeouts and interrupts are
/// enforced by the <see cref="RequestWatchdog"/>, which aborts the connection; a request itself only publishes its
/// deadline. Every outcome comes back as timings, an interrupted request too (error `interrupted`, with the time it
/// had taken), so that the caller records it before it stops the iteration. In steady state nothing here allocates
/// or locks.
/// </summary>
internal sealed class Http1Client : IHttpTransport
{
    private const int Idle = 0;
    private const int Running = 1;
    private const int Aborted = 2;

    private readonly IConnectionSource _connections;
    private readonly HttpOptions _options;
    private readonly RequestWatchdog _watchdog;
    private readonly ConnectAttempt _attempt = new();
    private readonly HttpSession? _session;
    private int _state;
    private long _deadline;
    private CancellationToken _interrupt;
    private Http1Connection? _connection;
    private CancellationTokenSource? _connecting;

    /// <param name="connections">Where connections come from: the VU's own, or the run's shared pool.</param>
    /// <param name="options">The run's HTTP options (TLS verification...).</param>
    /// <param name="watchdog">Enforces each request's timeout.</param>
    /// <param name="session">The VU's cookies and redirect notes; null sends each request exactly as prepared.</param>
    public Http1Client(IConnectionSource connections, HttpOptions options, RequestWatchdog watchdog, HttpSession? session = null)
    {
        _connections = connections;
        _session = session;
        _options = options;
        _watchdog = watchdog;
        watchdog.Watch(this);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<HttpTimings> SendAsync(HttpRequest request, HttpResponseBuffer? keep, CancellationToken cancellationToken)
    {
        var timings = new HttpTimings();
        var started = MonotonicClock.Now;
        long sendAt = 0;
        long sentAt = 0;
        _interrupt = cancellationToken;
        _deadline = started + request.TimeoutTicks;
        Volatile.Write(ref _state, Running);
        var wire = _session is null ? request.Wire : _session.WireFor(request);
        try
        {
            while (true)
            {
                sendAt = sentAt = 0;
                var connection = _connections.Take(request.Endpoint);
                var reused = connection is not null;
                Volatile.Write(ref _connection, connection ??= await OpenAsync(request.Endpoint).ConfigureAwait(false));
                // A reused connection was taken in nanoseconds: the request's start is its send time (one clock read fewer).
                sendAt = reused ? started : MonotonicClock.Now;
                if (!reused)
                {
                    var opening = _attempt.Phases(sendAt);
                    timings.Connecting = opening.Connect;
                    timings.TlsHandshaking = opening.Tls;
                }
                connection.BeginResponse(request, keep, _session);
                try
                {
                    await connection.WriteAsync(wire).ConfigureAwait(false);
                }
                catch (Exception exception) when (IsStale(exception, reused, connection))
                {
                    connection.Dispose();
                    continue; // the server closed this idle connection before our request reached it
                }
                sentAt = MonotonicClock.Now;
                if (connection.ShouldWaitWithoutBuffer)
                {
                    await connection.WaitForBytesAsync().ConfigureAwait(false);
                }
                long firstByteAt = connection.HasBufferedBytes ? MonotonicClock.Now : 0;
                var reads = 0;
                ParseStatus status;
                while ((status = connection.ParseBuffered()) == ParseStatus.NeedMore)
                {
                    var space = connection.FreeSpace();
                    if (space.IsEmpty)
                    {
                        status = ParseStatus.Failed;
                        break;
                    }
                    int read;
                    try
                    {
                        read = await connection.ReceiveAsync(space).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (IsStale(exception, reused, connection))
                    {
                        read = 0; // reset instead of closed: the same stale connection
                    }
                    if (firstByteAt == 0)
                    {
                        firstByteAt = MonotonicClock.Now;
                    }
                    reads++;
                    if (read == 0)
                    {
                        status = connection.PeerClosed();
                        break;
                    }
                    connection.Filled(read);
                }
                connection.EndResponse();
                if (status == ParseStatus.Failed && connection.Error == NetworkError.ResponseEnded && IsStale(null, reused, connection))
                {
                    connection.Dispose();
                    continue; // the server closed this idle connection before answering our request
                }
                if (Interlocked.CompareExchange(ref _state, Idle, Running) == Aborted)
                {
                    return Failed(timings, Abandoned(cancellationToken), keep, started, sendAt, sentAt);
                }
                return Completed(timings, request, wire.Length, connection, status, sendAt - started, sentAt - sendAt, sentAt, firstByteAt, reads);
            }
        }
        catch (Exception exception)
        {
            var abandoned = Interlocked.Exchange(ref _state, Idle) == Aborted;
            return Failed(timings, abandoned ? Abandoned(cancellationToken) : NetworkError.Classify(exception), keep, started, sendAt, sentAt);
        }
    }

    // A reused connection that fails before a single response byte arrived was closed by the server while idle.
    private bool IsStale(Exception? failure, bool reused, Http1Connection connection) =>
        reused && failure is null or IOException or SocketException && connection.ResponseBytes == 0
        && !connection.HasBufferedBytes && Volatile.Read(ref _state) == Running;

    // Fills the wire-measured phases and hands the connection back for reuse, or closes it.
    private HttpTimings Completed(HttpTimings timings, HttpRequest request, int bytesSent, Http1Connection connection, ParseStatus status,
        long blocked, long sending, long sentAt, long firstByteAt, int reads)
    {
        // A response that came in one read was received at its first byte: parsing it is not receiving (and one
        // clock read fewer per request is measurable).
        var endedAt = reads == 1 ? firstByteAt : MonotonicClock.Now;
        firstByteAt = firstByteAt == 0 ? endedAt : firstByteAt;
        timings.EndedAt = endedAt;
        timings.Blocked = blocked; // k6's: getting a connection, its DNS, connect and TLS included
        timings.Sending = sending;
        timings.Waiting = firstByteAt - sentAt;
        timings.Receiving = endedAt - firstByteAt;
        var complete = status == ParseStatus.Complete;
        timings.Status = complete ? connection.Status : 0;
        timings.Error = complete ? null : connection.Error;
        timings.BytesSent = bytesSent;
        timings.BytesReceived = connection.ResponseBytes;
        if (complete)
        {
            _session?.StoreCookies(request);
        }
        _connection = null;
        if (complete && connection.KeepAlive)
        {
            _connections.Return(connection);
        }
        else
        {
            connection.Dispose();
        }
        return timings;
    }

    // The watchdog aborted this request: its VU was interrupted (the run is ending), or it ran past its deadline.
    private static string Abandoned(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? NetworkError.Interrupted : NetworkError.Timeout;

    /// <summary>
    /// A request that ended without a response: each phase keeps the time it took up to the failure. Before a
    /// connection was ready, all of it went into getting one (blocked), split into connecting and TLS as far as
    /// the attempt got: a refused connect is connecting time, not waiting.
    /// </summary>
    private HttpTimings Failed(HttpTimings timings, string error, HttpResponseBuffer? keep, long started, long sendAt, long sentAt)
    {
        Volatile.Write(ref _state, Idle);
        Interlocked.Exchange(ref _connection, null)?.Dispose();
        keep?.Clear(); // checks and captures must not read the previous response
        var now = MonotonicClock.Now;
        timings.Status = 0;
        timings.Error = error;
        timings.EndedAt = now;
        if (sendAt == 0)
        {
            var attempt = _attempt.Phases(now);
            timings.Blocked = now - started;
            timings.Connecting = attempt.Connect;
            timings.TlsHandshaking = attempt.Tls;
        }
        else
        {
            timings.Blocked = sendAt - started;
            timings.Sending = (sentAt == 0 ? now : sentAt) - sendAt;
            timings.Waiting = sentAt == 0 ? 0 : now - sentAt;
        }
        return timings;
    }

    // Connecting is the one phase that takes a cancellation token: rare enough to pay for a token source.
    private async Task<Http1Connection> OpenAsync(HttpEndpoint endpoint)
    {
        _attempt.Start(endpoint.Tls);
        using var connecting = new CancellationTokenSource();
        Volatile.Write(ref _connecting, connecting);
        try
        {
            if (Volatile.Read(ref _state) != Running)
            {
                throw new OperationCanceledException();
            }
            return await Http1Connection.OpenAsync(endpoint, _options, _attempt, connecting.Token).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _connecting, null);
        }
    }

    /// <summary>Called by the watchdog: aborts the running request when it is past its deadline or its VU was interrupted.</summary>
    internal void AbortIfOverdue(long now)
    {
        if (Volatile.Read(ref _state) != Running || (now < Volatile.Read(ref _deadline) && !_interrupt.IsCancellationRequested))
        {
            return;
        }
        if (Interlocked.CompareExchange(ref _state, Aborted, Running) == Running)
        {
            Volatile.Read(ref _connection)?.Abort();
            try
            {
                Volatile.Read(ref _connecting)?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the connect finished between the read and the cancel
            }
        }
    }

    /// <summary>Connections belong to their source, which the VU (per-VU) or the run (shared) disposes.</summary>
    public void Dispose() => _watchdog.Forget(this);
}
