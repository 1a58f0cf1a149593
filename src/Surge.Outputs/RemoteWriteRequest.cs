using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Surge.Outputs;

/// <summary>
/// Prometheus remote write 1.0's WriteRequest, encoded by hand (it is four small messages, so no protoc):
/// WriteRequest { repeated TimeSeries timeseries = 1 }, TimeSeries { repeated Label labels = 1; repeated Sample samples = 2 },
/// Label { string name = 1; string value = 2 }, Sample { double value = 1; int64 timestamp = 2 }; then the whole
/// body snappy block-compressed, as the protocol asks.
/// </summary>
internal static class RemoteWriteRequest
{
    private const byte TimeSeriesTag = (1 << 3) | 2;
    private const byte LabelTag = (1 << 3) | 2;
    private const byte SampleTag = (2 << 3) | 2;
    private const byte NameTag = (1 << 3) | 2;
    private const byte ValueTag = (2 << 3) | 2;
    private const byte SampleValueTag = (1 << 3) | 1;
    private const byte TimestampTag = 2 << 3;

    /// <summary>The uncompressed protobuf of one sample per series, all at <paramref name="timestampMs"/>.</summary>
    public static byte[] Encode(IEnumerable<PromSample> samples, long timestampMs)
    {
        var body = new ArrayBufferWriter<byte>(64 * 1024);
        var sampleSize = 1 + 8 + 1 + VarintLength((ulong)timestampMs);
        foreach (var sample in samples)
        {
            var seriesSize = 1 + VarintLength((ulong)sampleSize) + sampleSize;
            seriesSize += LabelFieldSize("__name__", sample.Name);
            foreach (var (name, value) in sample.Labels)
            {
                seriesSize += LabelFieldSize(name, value);
            }
            WriteByte(body, TimeSeriesTag);
            WriteVarint(body, (ulong)seriesSize);
            WriteLabel(body, "__name__", sample.Name);
            foreach (var (name, value) in sample.Labels)
            {
                WriteLabel(body, name, value);
            }
            WriteByte(body, SampleTag);
            WriteVarint(body, (ulong)sampleSize);
            WriteByte(body, SampleValueTag);
            BinaryPrimitives.WriteDoubleLittleEndian(body.GetSpan(8), sample.Value);
            body.Advance(8);
            WriteByte(body, TimestampTag);
            WriteVarint(body, (ulong)timestampMs);
        }
        return body.WrittenSpan.ToArray();
    }

    public static byte[] Compress(byte[] protobuf) => Snappier.Snappy.CompressToArray(protobuf);

    private static int LabelFieldSize(string name, string value)
    {
        var size = StringFieldSize(name) + StringFieldSize(value);
        return 1 + VarintLength((ulong)size) + size;
    }

    private static int StringFieldSize(string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        return 1 + VarintLength((ulong)length) + length;
    }

    private static void WriteLabel(ArrayBufferWriter<byte> body, string name, string value)
    {
        WriteByte(body, LabelTag);
        WriteVarint(body, (ulong)(StringFieldSize(name) + StringFieldSize(value)));
        WriteString(body, NameTag, name);
        WriteString(body, ValueTag, value);
    }

    private static void WriteString(ArrayBufferWriter<byte> body, byte tag, string text)
    {
        WriteByte(body, tag);
        var length = Encoding.UTF8.GetByteCount(text);
        WriteVarint(body, (ulong)length);
        Encoding.UTF8.GetBytes(text, body.GetSpan(length));
        body.Advance(length);
    }

    private static void WriteByte(ArrayBufferWriter<byte> body, byte value)
    {
        body.GetSpan(1)[0] = value;
        body.Advance(1);
    }

    private static void WriteVarint(ArrayBufferWriter<byte> body, ulong value)
    {
        var span = body.GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[i++] = (byte)value;
        body.Advance(i);
    }

    private static int VarintLength(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }
        return length;
    }
}
