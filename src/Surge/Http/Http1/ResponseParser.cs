using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Surge.Http.Http1;

internal enum ParseStatus
{
    NeedMore,
    Complete,
    Failed,
}

/// <summary>
/// An incremental HTTP/1.1 response parser. It is fed whatever bytes have arrived and consumes what it can: whole
/// lines in the head and in chunk framing (a partial line is left for the caller to keep and extend), any amount of
/// body. Interim 1xx responses are skipped; bodies end by Content-Length, chunked framing (extensions and trailers
/// allowed) or connection close; HEAD, 204 and 304 have none. Bytes after a complete response are left unconsumed,
/// so pipelined responses parse one after another. One instance is reused for every response on a connection.
/// </summary>
internal sealed class ResponseParser
{
    /// <summary>Beyond this, a response head is refused as too large instead of buffering without bound.</summary>
    public const int MaxHeadBytes = 64 * 1024;

    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789abcdefABCDEF"u8);

    private State _state;
    private bool _noBody;
    private long _remaining;
    private long _contentLength;
    private bool _chunked;
    private bool _otherTransferEncoding;
    private int _headBytes;
    private int _minorVersion;
    private bool _closeRequested;
    private bool _keepAliveRequested;
    private bool _closeDelimited;
    private HttpResponseBuffer? _keep;
    private HttpSession? _session;

    private enum State
    {
        StatusLine,
        Headers,
        FixedBody,
        ChunkSize,
        ChunkData,
        ChunkDataEnd,
        Trailers,
        UntilClose,
        Done,
        Failed,
    }

    /// <summary>The final (non-1xx) status code once the head is parsed.</summary>
    public int Status { get; private set; }

    /// <summary>A <see cref="NetworkError"/> name after <see cref="ParseStatus.Failed"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>Whether the connection may carry another request after this response.</summary>
    public bool KeepAlive => !_closeRequested && !_closeDelimited && (_minorVersion >= 1 || _keepAliveRequested);

    /// <param name="headRequest">A response to HEAD has headers only, whatever Content-Length says.</param>
    /// <param name="keep">Receives the head and the decoded body when a check or capture needs them; null discards.</param>
    /// <param name="session">Receives the Set-Cookie and Location headers, which act on later requests.</param>
    public void Begin(bool headRequest, HttpResponseBuffer? keep, HttpSession? session = null)
    {
        _keep = keep;
        keep?.Clear();
        _session = session;
        session?.BeginResponse();
        _noBody = headRequest;
        Status = 0;
        Error = null;
        ResetHead();
    }

    private void ResetHead()
    {
        _state = State.StatusLine;
        _contentLength = -1;
        _chunked = false;
        _otherTransferEncoding = false;
        _headBytes = 0;
        _closeRequested = false;
        _keepAliveRequested = false;
        _closeDelimited = false;
    }

    public ParseStatus Parse(ReadOnlySpan<byte> data, out int consumed)
    {
        consumed = 0;
        while (true)
        {
            var rest = data[consumed..];
            switch (_state)
            {
                case State.Done:
                    return ParseStatus.Complete;
                case State.Failed:
                    return ParseStatus.Failed;
                case State.FixedBody or State.ChunkData:
                {
                    var take = (int)Math.Min(_remaining, rest.Length);
                    if (take == 0)
                    {
                        return ParseStatus.NeedMore;
                    }
                    if (!KeepBody(rest[..take]))
                    {
                        return ParseStatus.Failed;
                    }
                    consumed += take;
                    _remaining -= take;
                    if (_remaining == 0)
                    {
                        _state = _state == State.FixedBody ? State.Done : State.ChunkDataEnd;
                    }
                    break;
                }
                case State.UntilClose:
                    if (!KeepBody(rest))
                    {
                        return ParseStatus.Failed;
                    }
                    consumed = data.Length;
                    return ParseStatus.NeedMore;
                default:
                {
                    var newline = rest.IndexOf((byte)'\n');
                    if (newline < 0)
                    {
                        var inHead = _state is State.StatusLine or State.Headers or State.Trailers;
                        return inHead && _headBytes + rest.Length > MaxHeadBytes && !Reject(NetworkError.ResponseTooLarge)
                            ? ParseStatus.Failed
                            : ParseStatus.NeedMore;
                    }
                    var line = rest[..newline];
                    if (!line.IsEmpty && line[^1] == (byte)'\r')
                    {
                        line = line[..^1];
                    }
                    consumed += newline + 1;
                    if (!Line(line, newline + 1))
                    {
                        return ParseStatus.Failed;
                    }
                    break;
                }
            }
        }
    }

    /// <summary>The peer closed the connection: complete for a close-delimited body, otherwise the response ended early.</summary>
    public ParseStatus Finish()
    {
        if (_state == State.Failed)
        {
            return ParseStatus.Failed;
        }
        if (_state is State.UntilClose or State.Done)
        {
            _state = State.Done;
            return ParseStatus.Complete;
        }
        Reject(NetworkError.ResponseEnded);
        return ParseStatus.Failed;
    }

    private bool Line(ReadOnlySpan<byte> line, int rawLength)
    {
        if (_state is State.StatusLine or State.Headers or State.Trailers)
        {
            _headBytes += rawLength;
            if (_headBytes > MaxHeadBytes)
            {
                return Reject(NetworkError.ResponseTooLarge);
            }
        }
        switch (_state)
        {
            case State.StatusLine:
                return StatusLine(line);
            case State.Headers:
                return line.IsEmpty ? EndOfHead() : Header(line);
            case State.ChunkSize:
                return ChunkSize(line);
            case State.ChunkDataEnd:
                // Strictly CRLF: a lone LF here usually means a chunk size one byte too large, eating the CR.
                _state = State.ChunkSize;
                return (line.IsEmpty && rawLength == 2) || Reject(NetworkError.InvalidResponse);
            default:
                if (line.IsEmpty)
                {
                    _state = State.Done;
                }
                return true;
        }
    }

    // "HTTP/1.1 200 OK": the version's minor digit decides keep-alive defaults; the reason phrase is ignored.
    private bool StatusLine(ReadOnlySpan<byte> line)
    {
        if (line.Length < 12 || !line.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)line[7]) || line[8] != (byte)' '
            || !Utf8Parser.TryParse(line.Slice(9, 3), out int status, out var used) || used != 3 || status < 100
            || (line.Length > 12 && line[12] != (byte)' '))
        {
            return Reject(NetworkError.InvalidResponse);
        }
        _minorVersion = line[7] - (byte)'0';
        Status = status;
        _keep?.AppendHead(line);
        _state = State.Headers;
        return true;
    }

    private bool Header(ReadOnlySpan<byte> line)
    {
        _keep?.AppendHead(line);
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            return true; // obsolete line folding continues a value we do not interpret
        }
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            return Reject(NetworkError.InvalidResponse);
        }
        var name = line[..colon];
        var value = line[(colon + 1)..].Trim(" \t"u8);
        if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
        {
            if (value.IsEmpty || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0
                || !Utf8Parser.TryParse(value, out long length, out var used) || used != value.Length
                || (_contentLength >= 0 && _contentLength != length))
            {
                return Reject(NetworkError.InvalidResponse);
            }
            _contentLength = length;
        }
        else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8))
        {
            // Only a final "chunked" frames the body; any other coding means the body runs to connection close.
            var comma = value.LastIndexOf((byte)',');
            var last = (comma < 0 ? value : value[(comma + 1)..]).Trim(" \t"u8);
            _chunked = Ascii.EqualsIgnoreCase(last, "chunked"u8);
            _otherTransferEncoding = !_chunked;
        }
        else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
        {
            _closeRequested |= ContainsToken(value, "close"u8);
            _keepAliveRequested |= ContainsToken(value, "keep-alive"u8);
        }
        else if (_session is not null)
        {
            if (Ascii.EqualsIgnoreCase(name, "set-cookie"u8))
            {
                _session.NoteSetCookie(value);
            }
            else if (Ascii.EqualsIgnoreCase(name, "location"u8))
            {
                _session.NoteLocation(value);
            }
        }
        return true;
    }

    private static bool ContainsToken(ReadOnlySpan<byte> list, ReadOnlySpan<byte> token)
    {
        if (list.IndexOf((byte)',') < 0)
        {
            return Ascii.EqualsIgnoreCase(list, token); // the usual single token, e.g. "keep-alive"
        }
        foreach (var range in list.Split((byte)','))
        {
            if (Ascii.EqualsIgnoreCase(list[range].Trim(" \t"u8), token))
            {
                return true;
            }
        }
        return false;
    }

    private bool EndOfHead()
    {
        if (Status is >= 100 and < 200 && Status != 101)
        {
            var status = Status;
            ResetHead();
            _keep?.Clear();
            _session?.BeginResponse();
            Status = status;
            return true;
        }
        _keep?.SetStatus(Status);
        if (_noBody || Status is 101 or 204 or 304)
        {
            _closeRequested |= Status == 101;
            _state = State.Done;
        }
        else if (_chunked)
        {
            _state = State.ChunkSize;
        }
        else if (_contentLength >= 0 && !_otherTransferEncoding)
        {
            _remaining = _contentLength;
            _state = _contentLength == 0 ? State.Done : State.FixedBody;
        }
        else
        {
            _closeDelimited = true;
            _state = State.UntilClose;
        }
        return true;
    }

    // "1a3f;name=value": hex size, then optional extensions that we skip.
    private bool ChunkSize(ReadOnlySpan<byte> line)
    {
        var end = line.IndexOfAnyExcept(HexDigits);
        var digits = end < 0 ? line : line[..end];
        var tail = end < 0 ? [] : line[end..].TrimStart(" \t"u8);
        var significant = digits.TrimStart((byte)'0'); // leading zeros are legal and do not count against the limit
        if (digits.IsEmpty || significant.Length > 15 || !(tail.IsEmpty || tail[0] == (byte)';')
            || !Utf8Parser.TryParse(significant.IsEmpty ? "0"u8 : significant, out long size, out _, 'x'))
        {
            return Reject(NetworkError.InvalidResponse);
        }
        _remaining = size;
        _state = size == 0 ? State.Trailers : State.ChunkData;
        return true;
    }

    private bool KeepBody(ReadOnlySpan<byte> bytes) =>
        _keep is null || _keep.AppendBody(bytes) || Reject(NetworkError.ResponseTooLarge);

    /// <summary>Records why the response is unusable; always false, so that callers can return it directly.</summary>
    private bool Reject(string error)
    {
        Error = error;
        _state = State.Failed;
        return false;
    }
}
