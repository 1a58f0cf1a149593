using System.Buffers.Binary;

namespace Surge.Grpc;

/// <summary>A growable byte buffer with the protobuf wire encodings; reused, so steady-state writes allocate nothing.</summary>
internal sealed class WireBuffer(int capacity = 256)
{
    private byte[] _bytes = new byte[capacity];

    public int Length { get; private set; }

    public ReadOnlySpan<byte> WrittenSpan => _bytes.AsSpan(0, Length);

    public ReadOnlyMemory<byte> WrittenMemory => _bytes.AsMemory(0, Length);

    public void Clear() => Length = 0;

    public byte[] ToArray() => WrittenSpan.ToArray();

    public void WriteTag(int fieldNumber, WireType type) => WriteVarint((uint)(fieldNumber << 3) | (uint)type);

    public void WriteVarint(ulong value)
    {
        Ensure(10);
        while (value >= 0x80)
        {
            _bytes[Length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _bytes[Length++] = (byte)value;
    }

    public void WriteFixed32(uint value)
    {
        Ensure(4);
        BinaryPrimitives.WriteUInt32LittleEndian(_bytes.AsSpan(Length), value);
        Length += 4;
    }

    public void WriteFixed64(ulong value)
    {
        Ensure(8);
        BinaryPrimitives.WriteUInt64LittleEndian(_bytes.AsSpan(Length), value);
        Length += 8;
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        Ensure(bytes.Length);
        bytes.CopyTo(_bytes.AsSpan(Length));
        Length += bytes.Length;
    }

    /// <summary>Length-prefixed bytes, as strings, bytes and nested messages go on the wire.</summary>
    public void WriteLengthDelimited(ReadOnlySpan<byte> bytes)
    {
        WriteVarint((uint)bytes.Length);
        WriteBytes(bytes);
    }

    /// <summary>A string as UTF-8 with its length, encoded straight into the buffer.</summary>
    public void WriteString(string text)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(text);
        WriteVarint((uint)length);
        Ensure(length);
        Length += System.Text.Encoding.UTF8.GetBytes(text, _bytes.AsSpan(Length));
    }

    private void Ensure(int more)
    {
        if (Length + more > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, Length + more));
        }
    }

    public static ulong ZigZag32(int value) => (uint)((value << 1) ^ (value >> 31));

    public static ulong ZigZag64(long value) => (ulong)((value << 1) ^ (value >> 63));
}

/// <summary>The protobuf wire types.</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}
