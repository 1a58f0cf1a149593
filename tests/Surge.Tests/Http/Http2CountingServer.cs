using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Grpc.Core;
using Surge.SampleApi.Grpc.Chaos;

namespace Surge.Tests.Http;

/// <summary>
/// Kestrel speaking only HTTP/2: h2c with prior knowledge on one port, TLS with ALPN h2 on another. A connection
/// middleware under TLS counts every raw byte in and out of each connection (the ground truth for data_sent and
/// data_received; what the server writes after the client closed is left out, since no client can read it) and the
/// connections opened. /reset resets its stream (RST_STREAM); /cut sends part of a body and
/// then drops the whole connection. gRPC's chaos.ChaosService/Echo answers with its request.
/// </summary>
internal sealed class Http2CountingServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ConnectionContext> _live = new();
    private long _received;
    private long _sent;
    private int _opened;
    private int _open;

    private Http2CountingServer(WebApplication app) => _app = app;

    public Uri PlainUrl { get; private set; } = null!;

    public Uri TlsUrl { get; private set; } = null!;

    /// <summary>Bytes read from clients, counted when their connections ended.</summary>
    public long Received => Interlocked.Read(ref _received);

    public long Sent => Interlocked.Read(ref _sent);

    public int ConnectionsOpened => Volatile.Read(ref _opened);

    public static async Task<Http2CountingServer> StartAsync()
    {
        var certificate = TlsServer.SelfSignedCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        Http2CountingServer? server = null;
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(next => connection => server!.CountAsync(connection, next));
            });
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.Use(next => connection => server!.CountAsync(connection, next));
                listen.UseHttps(certificate);
            });
        });
        builder.Services.AddGrpc();
        var app = builder.Build();
        server = new Http2CountingServer(app);
        app.MapGrpcService<EchoService>();
        app.MapGet("/bytes/{count:int}", (int count) => Microsoft.AspNetCore.Http.Results.Text(new string('x', count)));
        app.MapPost("/echo", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            return Microsoft.AspNetCore.Http.Results.Text(await reader.ReadToEndAsync());
        });
        app.MapGet("/reset", (HttpContext context) => context.Features.Get<IHttpResetFeature>()!.Reset(2)); // INTERNAL_ERROR
        app.MapGet("/cut", async (HttpContext context) =>
        {
            context.Response.ContentLength = 100_000;
            await context.Response.Body.WriteAsync(new byte[1000]);
            await context.Response.Body.FlushAsync();
            server._live[context.Connection.Id].Abort();
        });
        await app.StartAsync();
        var urls = app.Urls.Select(url => new Uri(url)).ToList();
        server.PlainUrl = urls.Single(url => url.Scheme == "http");
        server.TlsUrl = urls.Single(url => url.Scheme == "https");
        return server;
    }

    /// <summary>Waits (bounded) until every connection ended, so that the byte counts are final.</summary>
    public async Task WaitForConnectionsToEndAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Volatile.Read(ref _open) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
        Assert.Equal(0, Volatile.Read(ref _open));
    }

    private async Task CountAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        Interlocked.Increment(ref _opened);
        Interlocked.Increment(ref _open);
        _live[connection.ConnectionId] = connection;
        var original = connection.Transport;
        var counted = new CountedPipe(original);
        connection.Transport = counted;
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = original;
            await counted.DrainAsync();
            Interlocked.Add(ref _received, counted.Read);
            Interlocked.Add(ref _sent, counted.Written);
            _live.TryRemove(connection.ConnectionId, out _);
            Interlocked.Decrement(ref _open);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class EchoService : ChaosService.ChaosServiceBase
    {
        public override Task<EchoMessage> Echo(EchoMessage request, ServerCallContext context) => Task.FromResult(request);
    }

    /// <summary>The connection's pipes seen through a reader and a writer that count what passes.</summary>
    private sealed class CountedPipe : IDuplexPipe
    {
        private readonly CountingReader _reader;
        private readonly CountingWriter _writer;

        public CountedPipe(IDuplexPipe inner)
        {
            _reader = new CountingReader(inner.Input);
            _writer = new CountingWriter(inner.Output, _reader);
        }

        public PipeReader Input => _reader;

        public PipeWriter Output => _writer;

        public long Read => _reader.Consumed;

        public long Written => _writer.Written;

        // What the client sent after the server stopped reading (a GOAWAY on close) still crossed the wire: read it to the end.
        public Task DrainAsync() => _reader.DrainAsync();
    }

    private sealed class CountingReader(PipeReader inner) : PipeReader
    {
        private ReadOnlySequence<byte> _last;
        private volatile bool _clientClosed;

        public long Consumed;

        /// <summary>Whether the client closed its side: what the server writes after that never reaches it.</summary>
        public bool ClientClosed => _clientClosed;

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            var result = await inner.ReadAsync(cancellationToken);
            Note(result);
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            var read = inner.TryRead(out result);
            if (read)
            {
                Note(result);
            }
            return read;
        }

        private void Note(ReadResult result)
        {
            _last = result.Buffer;
            _clientClosed |= result.IsCompleted;
        }

        public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            Interlocked.Add(ref Consumed, _last.Slice(_last.Start, consumed).Length);
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        // Kept open for DrainAsync, which completes it.
        public override void Complete(Exception? exception = null)
        {
        }

        public async Task DrainAsync()
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                while (true)
                {
                    var result = await inner.ReadAsync(timeout.Token);
                    Interlocked.Add(ref Consumed, result.Buffer.Length);
                    inner.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        break;
                    }
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or ConnectionResetException or InvalidOperationException)
            {
                // reset, still open, or Kestrel's own read is pending on it: Kestrel read up to the end itself
            }
            inner.Complete();
        }
    }

    // Bytes written once the client had closed (Kestrel's GOAWAY on seeing the end of the connection) were never read
    // by it, so they are not what a client can count: they are left out.
    private sealed class CountingWriter(PipeWriter inner, CountingReader reader) : PipeWriter
    {
        public long Written;

        public override void Advance(int bytes)
        {
            if (!reader.ClientClosed)
            {
                Interlocked.Add(ref Written, bytes);
            }
            inner.Advance(bytes);
        }

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);
    }
}
