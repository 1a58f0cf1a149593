using System.Runtime.CompilerServices;
using Surge.Engine;
using Surge.Plans;

namespace Surge.Http.Http1;

/// <summary>
/// One VU's HTTP/1.1 client. Takes a connection from its source (the VU's own, or the run's shared pool), writes the
/// prepared request, reads the response, and times k6's phases from the wire. A keep-alive connection the server
/// closed while idle is retried once on a fresh one, as browsers and HttpClient do. Timeouts come from one reusable
/// timer per client. In steady state nothing here allocates.
/// </summary>
public sealed class Http1Client : IHttpTransport
{
    private readonly IConnectionSource _connections;
    private readonly HttpOptions _options;
    private CancellationTokenSource _deadline = new();

    public Http1Client(IConnectionSource connections, HttpOptions options)
    {
        _connections = connections;
        _options = options;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<HttpTimings> SendAsync(HttpRequest request, HttpResponseBuffer? keep, CancellationToken cancellationToken)
    {
        var timings = new HttpTimings();
        var started = MonotonicClock.Now;
        var deadline = ArmDeadline(request.Timeout);
        var interrupt = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _deadline);
        Http1Connection? connection = null;
        try
        {
            while (true)
            {
                connection = _connections.Take(request.Endpoint);
                var reused = connection is not null;
                if (connection is null)
                {
                    connection = await Http1Connection.OpenAsync(request.Endpoint, _options, deadline).ConfigureAwait(false);
                    timings.Blocked = connection.Opening.Dns;
                    timings.Connecting = connection.Opening.Connect;
                    timings.TlsHandshaking = connection.Opening.Tls;
                }
                var sendAt = MonotonicClock.Now;
                try
                {
                    await connection.WriteAsync(request, deadline).ConfigureAwait(false);
                }
                catch (IOException) when (reused)
                {
                    connection.Dispose();
                    continue; // the server closed this idle connection before our request reached it
                }
                var sentAt = MonotonicClock.Now;
                var response = await connection.ReadResponseAsync(request, keep, deadline).ConfigureAwait(false);
                if (reused && response.NothingReceived)
                {
                    connection.Dispose();
                    continue; // the server closed this idle connection before our request reached it
                }
                var endedAt = MonotonicClock.Now;
                var firstByteAt = response.FirstByteAt == 0 ? endedAt : response.FirstByteAt;
                timings.Blocked += sendAt - started - timings.Blocked - timings.Connecting - timings.TlsHandshaking;
                timings.Sending = sentAt - sendAt;
                timings.Waiting = firstByteAt - sentAt;
                timings.Receiving = endedAt - firstByteAt;
                timings.Status = response.Status;
                timings.Error = response.Error;
                timings.BytesSent = request.Wire.Length;
                timings.BytesReceived = response.BytesReceived;
                if (response.KeepAlive)
                {
                    _connections.Return(connection);
                }
                else
                {
                    connection.Dispose();
                }
                connection = null;
                return timings;
            }
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            connection?.Dispose();
            timings.Status = 0;
            timings.Error = exception is OperationCanceledException ? NetworkError.Timeout : NetworkError.Classify(exception);
            var endedAt = MonotonicClock.Now;
            timings.Waiting = Math.Max(0, endedAt - started - timings.Blocked - timings.Connecting - timings.TlsHandshaking);
            return timings;
        }
        catch
        {
            connection?.Dispose();
            throw;
        }
        finally
        {
            interrupt.Dispose();
        }
    }

    // One timer source serves every request: reset after a request that did not time out, replaced after one that did.
    private CancellationToken ArmDeadline(TimeSpan timeout)
    {
        if (!_deadline.TryReset())
        {
            _deadline.Dispose();
            _deadline = new CancellationTokenSource();
        }
        _deadline.CancelAfter(timeout);
        return _deadline.Token;
    }

    /// <summary>Connections belong to their source, which the VU (per-VU) or the run (shared) disposes.</summary>
    public void Dispose() => _deadline.Dispose();
}
