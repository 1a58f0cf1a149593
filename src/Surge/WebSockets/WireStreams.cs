using System.Runtime.CompilerServices;
using System.Buffers.Binary;

namespace Surge.WebSockets;

/// <summary>A stream that hands every call to the one it wraps, for the two below to watch the bytes go by.</summary>
internal abstract class PassThroughStream(Stream inner) : Stream
{
    protected Stream Inner => inner;

    public override bool CanRead => inner.CanRead;

    public override bool CanWrite => inner.CanWrite;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        OnRead(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        OnRead(buffer.Span[..read]);
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        OnWritten(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        OnWritten(buffer.Length);
    }

    protected abstract void OnRead(ReadOnlySpan<byte> bytes);

    protected virtual void OnWritten(int count)
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>
/// Counts the bytes on the TCP connection itself, under TLS when there is one: the upgrade request and response, every
/// frame header, the client's masks, control frames and TLS records. That is what data_sent and data_received report.
/// </summary>
internal sealed class CountingStream(Stream inner) : PassThroughStream(inner)
{
    private long _sent;
    private long _received;

    public long Sent => Interlocked.Read(ref _sent);

    public long Received => Interlocked.Read(ref _received);

    protected override void OnRead(ReadOnlySpan<byte> bytes) => Interlocked.Add(ref _received, bytes.Length);

    protected override void OnWritten(int count) => Interlocked.Add(ref _sent, count);
}

/// <summary>
/// The plaintext WebSocket byte stream (above TLS). ClientWebSocket has no ping API and swallows pongs, so a ping is
/// written here as a raw masked frame, and the frame headers of what the server sends are followed to spot the pong
/// that echoes it. Only the headers and a pong's payload are looked at; data frames pass untouched.
/// </summary>
internal sealed class PongWatchStream(Stream inner) : PassThroughStream(inner)
{
    private const int PingPayloadBytes = 8;
    private const byte PongOpcode = 0xA;

    private readonly byte[] _header = new byte[14];
    private readonly byte[] _pongPayload = new byte[125];
    private int _headerFilled;
    private int _headerNeeded = 2;
    private long _payloadLeft;
    private bool _inPong;
    private int _pongFilled;
    private long _expected = -1;
    private TaskCompletionSource? _pong;
    private int _headEndMatched; // of "\r\n\r\n": the HTTP response to the upgrade comes first, then frames
    private bool _inHead = true;

    /// <summary>Writes a masked ping frame carrying <paramref name="sequence"/>; <see cref="PongReceived"/> completes when its pong arrives.</summary>
    public async ValueTask SendPingAsync(long sequence, CancellationToken cancellationToken)
    {
        var frame = new byte[2 + 4 + PingPayloadBytes];
        frame[0] = 0x89; // FIN + ping
        frame[1] = 0x80 | PingPayloadBytes; // masked, as every client frame must be
        System.Security.Cryptography.RandomNumberGenerator.Fill(frame.AsSpan(2, 4));
        BinaryPrimitives.WriteInt64BigEndian(frame.AsSpan(6), sequence);
        for (var i = 0; i < PingPayloadBytes; i++)
        {
            frame[6 + i] ^= frame[2 + (i & 3)];
        }
        _pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _expected, sequence);
        await Inner.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        await Inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Completes when the pong of the last ping came; a fresh task per ping.</summary>
    public Task PongReceived => _pong?.Task ?? Task.CompletedTask;

    protected override void OnRead(ReadOnlySpan<byte> bytes)
    {
        while (_inHead && !bytes.IsEmpty)
        {
            _headEndMatched = bytes[0] == (_headEndMatched % 2 == 0 ? (byte)'\r' : (byte)'\n') ? _headEndMatched + 1 : bytes[0] == '\r' ? 1 : 0;
            _inHead = _headEndMatched < 4;
            bytes = bytes[1..];
        }
        while (!bytes.IsEmpty)
        {
            if (_payloadLeft == 0)
            {
                var take = Math.Min(_headerNeeded - _headerFilled, bytes.Length);
                bytes[..take].CopyTo(_header.AsSpan(_headerFilled));
                _headerFilled += take;
                bytes = bytes[take..];
                if (_headerFilled == _headerNeeded)
                {
                    HeaderComplete();
                }
                continue;
            }
            var chunk = (int)Math.Min(_payloadLeft, bytes.Length);
            if (_inPong && _pongFilled + chunk <= _pongPayload.Length)
            {
                bytes[..chunk].CopyTo(_pongPayload.AsSpan(_pongFilled));
                _pongFilled += chunk;
            }
            _payloadLeft -= chunk;
            bytes = bytes[chunk..];
            if (_payloadLeft == 0)
            {
                FrameComplete();
            }
        }
    }

    // The header grows in steps: 2 bytes say whether 2 or 8 length bytes and a 4-byte mask follow.
    private void HeaderComplete()
    {
        var lengthCode = _header[1] & 0x7F;
        var masked = (_header[1] & 0x80) != 0;
        var full = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (_headerNeeded < full)
        {
            _headerNeeded = full;
            return;
        }
        _payloadLeft = lengthCode switch
        {
            126 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
            127 => (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)), long.MaxValue),
            _ => lengthCode,
        };
        _inPong = (_header[0] & 0x0F) == PongOpcode;
        _pongFilled = 0;
        _headerFilled = 0;
        _headerNeeded = 2;
        if (_payloadLeft == 0)
        {
            FrameComplete();
        }
    }

    private void FrameComplete()
    {
        if (_inPong && _pongFilled == PingPayloadBytes
            && BinaryPrimitives.ReadInt64BigEndian(_pongPayload) == Volatile.Read(ref _expected))
        {
            _pong?.TrySetResult();
        }
        _inPong = false;
    }
}
