namespace Surge.Grpc;

/// <summary>
/// The connection's socket stream, counting every byte that crosses it (HTTP/2 frames, TLS records and handshakes
/// included), so that data_sent and data_received are what went over the wire, not an estimate from message sizes.
/// </summary>
internal sealed class CountingStream(Stream inner, ByteCounter counter) : Stream
{
    public override bool CanRead => inner.CanRead;
    public override bool CanWrite => inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => counter.Received(inner.Read(buffer, offset, count));

    public override int Read(Span<byte> buffer) => counter.Received(inner.Read(buffer));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        counter.Received(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count)
    {
        inner.Write(buffer, offset, count);
        counter.Sent(count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        inner.Write(buffer);
        counter.Sent(buffer.Length);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
        counter.Sent(buffer.Length);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>
/// Bytes a connection moved that no sample has taken yet. Calls take what accumulated since the last one
/// (<see cref="Take"/>), so each byte is recorded exactly once even when VUs share the connection.
/// </summary>
internal sealed class ByteCounter
{
    private long _sent;
    private long _received;

    public void Sent(int bytes) => Interlocked.Add(ref _sent, bytes);

    public int Received(int bytes)
    {
        Interlocked.Add(ref _received, bytes);
        return bytes;
    }

    public (long Sent, long Received) Take() => (Interlocked.Exchange(ref _sent, 0), Interlocked.Exchange(ref _received, 0));
}
