using System.Buffers;
using System.Text;

namespace Surge.Http;

/// <summary>
/// A response kept for checks and captures: status, head lines and the decoded body (chunked framing removed).
/// Requests that nobody inspects pass null and their bodies are discarded as they arrive. Reused across requests;
/// the body is capped so a runaway response fails as response_too_large instead of exhausting memory.
/// </summary>
internal sealed class HttpResponseBuffer(int maxBodyBytes = HttpResponseBuffer.DefaultMaxBodyBytes)
{
    public const int DefaultMaxBodyBytes = 10 * 1024 * 1024;

    private readonly ArrayBufferWriter<byte> _head = new(1024);
    private readonly ArrayBufferWriter<byte> _body = new(4096);
    private string? _bodyText;
    private bool _truncates;

    /// <summary>A buffer that keeps the first <paramref name="keptBodyBytes"/> of each body and counts the rest, never failing a response.</summary>
    internal static HttpResponseBuffer Truncating(int keptBodyBytes) => new(keptBodyBytes) { _truncates = true };

    /// <summary>Body bytes a truncating buffer did not keep.</summary>
    internal long DroppedBodyBytes { get; private set; }

    /// <summary>The status line (HTTP/1.1) and header lines as received, one per line.</summary>
    internal string HeadText => Encoding.Latin1.GetString(_head.WrittenSpan);

    public int Status { get; private set; }

    public ReadOnlyMemory<byte> Body => _body.WrittenMemory;

    /// <summary>The body decoded as UTF-8, once per response however many checks and captures read it.</summary>
    public string BodyText => _bodyText ??= Encoding.UTF8.GetString(_body.WrittenSpan);

    /// <summary>The first value of a header, matched case-insensitively, or null.</summary>
    public string? Header(string name)
    {
        foreach (var range in _head.WrittenSpan.Split((byte)'\n'))
        {
            var line = _head.WrittenSpan[range];
            var colon = line.IndexOf((byte)':');
            if (colon > 0 && Ascii.EqualsIgnoreCase(line[..colon], name))
            {
                return Encoding.Latin1.GetString(line[(colon + 1)..].Trim(" \t"u8));
            }
        }
        return null;
    }

    internal void Clear()
    {
        Status = 0;
        _head.ResetWrittenCount();
        _body.ResetWrittenCount();
        _bodyText = null;
        DroppedBodyBytes = 0;
    }

    internal void SetStatus(int status) => Status = status;

    internal void AppendHead(ReadOnlySpan<byte> line)
    {
        _head.Write(line);
        _head.Write("\n"u8);
    }

    /// <summary>False when the body would pass the cap.</summary>
    internal bool AppendBody(ReadOnlySpan<byte> bytes)
    {
        if (_body.WrittenCount + bytes.Length > maxBodyBytes)
        {
            if (!_truncates)
            {
                return false;
            }
            var kept = maxBodyBytes - _body.WrittenCount;
            DroppedBodyBytes += bytes.Length - kept;
            bytes = bytes[..kept];
        }
        _body.Write(bytes);
        _bodyText = null;
        return true;
    }
}
