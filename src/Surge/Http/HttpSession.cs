using System.Buffers;
using System.Text;
using Surge.Plans;

namespace Surge.Http;

/// <summary>
/// What a VU's HTTP exchanges share beyond connections: its <see cref="CookieJar"/> (null when the test turns it off)
/// and the two response headers that act on later requests, Set-Cookie and Location, noted while the head is parsed.
/// Both transports send through it, so YAML steps and C# steps see the same cookies. Nothing here allocates while
/// no cookie and no redirect is involved: the buffers are made on first use and reused.
/// </summary>
internal sealed class HttpSession(HttpOptions options)
{
    /// <summary>Set-Cookie values of one response kept at most; the head's own size cap bounds their bytes.</summary>
    internal const int MaxSetCookiesPerResponse = 1000;

    private ArrayBufferWriter<byte>? _setCookies;
    private int _setCookieCount;
    private byte[]? _location;
    private int _locationLength = -1;
    private byte[]? _wire;
    private char[]? _setCookieChars;

    /// <summary>The VU's cookies, or null when the test runs with `cookieJar: false`.</summary>
    public CookieJar? Cookies { get; } = options.CookieJar ? new CookieJar() : null;

    /// <summary>At the start of an iteration: k6 empties the jar, unless the test says `noCookiesReset`.</summary>
    internal void BeginIteration()
    {
        if (!options.NoCookiesReset && Cookies is { Count: > 0 } jar)
        {
            jar.Clear();
        }
    }

    /// <summary>Forgets the notes of the previous response (called when a response head starts, interim ones too).</summary>
    internal void BeginResponse()
    {
        _setCookieCount = 0;
        _setCookies?.ResetWrittenCount();
        _locationLength = -1;
    }

    internal void NoteSetCookie(ReadOnlySpan<byte> value)
    {
        if (Cookies is null || _setCookieCount >= MaxSetCookiesPerResponse || value.Length > CookieJar.MaxCookieBytes)
        {
            return;
        }
        _setCookies ??= new ArrayBufferWriter<byte>(256);
        _setCookies.Write(value);
        _setCookies.Write("\n"u8);
        _setCookieCount++;
    }

    internal void NoteLocation(ReadOnlySpan<byte> value)
    {
        if (_location is null || _location.Length < value.Length)
        {
            _location = new byte[Math.Max(256, value.Length)];
        }
        value.CopyTo(_location);
        _locationLength = value.Length;
    }

    /// <summary>The Location header of the last response, or null when it had none.</summary>
    internal string? Location => _locationLength < 0 ? null : Encoding.Latin1.GetString(_location!, 0, _locationLength);

    /// <summary>Puts the Set-Cookie headers of the response to <paramref name="request"/> into the jar.</summary>
    internal void StoreCookies(HttpRequest request)
    {
        if (_setCookieCount == 0 || Cookies is not { } jar)
        {
            return;
        }
        var secure = request.Endpoint.Tls;
        _setCookieChars ??= new char[CookieJar.MaxCookieBytes];
        foreach (var range in _setCookies!.WrittenSpan.Split((byte)'\n'))
        {
            var line = _setCookies.WrittenSpan[range];
            if (!line.IsEmpty)
            {
                var length = Encoding.Latin1.GetChars(line, _setCookieChars);
                jar.Receive(request.Endpoint.Host, request.CookiePath, secure, _setCookieChars.AsSpan(0, length));
            }
        }
        _setCookieCount = 0;
        _setCookies.ResetWrittenCount();
    }

    /// <summary>
    /// The bytes an HTTP/1.1 request goes out as: its prepared <see cref="HttpRequest.Wire"/>, or, when the jar has
    /// cookies for it, the same message with them in its Cookie header, built in a buffer this session reuses.
    /// </summary>
    internal ReadOnlyMemory<byte> WireFor(HttpRequest request)
    {
        if (Cookies is not { Count: > 0 } jar)
        {
            return request.Wire;
        }
        var wire = request.Wire;
        var insertAt = request.CookieInsertAt;
        var explicitCookies = request.ExplicitCookies;
        var room = wire.Length + jar.MaxWrittenBytes() + "Cookie: \r\n".Length;
        if (_wire is null || _wire.Length < room)
        {
            _wire = new byte[Math.Max(room, 1024)];
        }
        var buffer = _wire.AsSpan();
        wire.AsSpan(0, insertAt).CopyTo(buffer);
        var at = insertAt;
        if (explicitCookies is null)
        {
            "Cookie: "u8.CopyTo(buffer[at..]);
            at += "Cookie: ".Length;
        }
        if (jar.Write(buffer[at..], out var written, request.Endpoint.Host, request.CookiePath, request.Endpoint.Tls, explicitCookies,
            leadingSeparator: explicitCookies is { Length: > 0 }) == 0)
        {
            return wire;
        }
        at += written;
        if (explicitCookies is null)
        {
            "\r\n"u8.CopyTo(buffer[at..]);
            at += 2;
        }
        wire.AsSpan(insertAt).CopyTo(buffer[at..]);
        return _wire.AsMemory(0, at + wire.Length - insertAt);
    }

    /// <summary>The Cookie value the jar adds to a request sent through HttpClient, or null.</summary>
    internal string? CookieHeaderFor(HttpRequest request) =>
        Cookies?.HeaderFor(request.Endpoint.Host, request.CookiePath, request.Endpoint.Tls, request.ExplicitCookies);
}
