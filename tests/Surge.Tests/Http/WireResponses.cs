using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Surge.Http;
using Surge.Http.Http1;

namespace Surge.Tests.Http;

/// <summary>A response exactly as a server writes it, with what a correct parser must make of it.</summary>
internal sealed record WireResponse(
    byte[] Wire, int Status, byte[] Body, bool KeepAlive, bool CloseDelimited, IReadOnlyList<KeyValuePair<string, string>> Headers)
{
    public static WireResponse Of(string wire, int status, string body, bool keepAlive = true, bool closeDelimited = false) =>
        new(Encoding.Latin1.GetBytes(wire), status, Encoding.Latin1.GetBytes(body), keepAlive, closeDelimited, []);

    // FsCheck prints a failing case with ToString: show the wire, not "System.Byte[]".
    public override string ToString() => Encoding.Latin1.GetString(Wire).Replace("\r\n", "\\r\\n\n", StringComparison.Ordinal);
}

/// <summary>FsCheck generators for responses: random status, headers, body bytes, framing, chunk partitions, 1xx.</summary>
internal static class WireResponseGen
{
    private enum Framing
    {
        ContentLength,
        Chunked,
        UntilClose,
        OtherCodingUntilClose,
    }

    private static readonly Gen<char> TokenChar =
        Gen.Elements("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.=/".ToCharArray());

    private static readonly Gen<string> Token =
        from length in Gen.Choose(1, 12)
        from chars in Gen.ArrayOf(TokenChar, length)
        select new string(chars);

    // Values are trimmed by the parser, so inner spaces only; an empty value is legal.
    private static readonly Gen<string> HeaderValue = Gen.OneOf(
        Gen.Constant(""),
        Token,
        from a in Token from b in Token select a + " " + b);

    private static readonly Gen<KeyValuePair<string, string>> HeaderField =
        from name in Gen.Elements("Server", "Date", "X-Trace-Id", "cache-control", "Set-Cookie", "ETag", "X-Empty", "vary")
        from value in HeaderValue
        select KeyValuePair.Create(name, value);

    private static readonly Gen<byte[]> BodyBytes =
        from length in Gen.Frequency((1, Gen.Constant(0)), (6, Gen.Choose(1, 300)))
        from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), length)
        select bytes;

    private static readonly Gen<string> ChunkExtension =
        Gen.Elements("", "", ";a=b", ";name=\"quoted; value\"", " ;x", ";a=b;c=d");

    private static readonly Gen<string> Trailers =
        Gen.Elements("", "X-Checksum: abc\r\n", "X-One: 1\r\nX-Two: two words\r\n");

    /// <summary>A final response that any of the framings delimits, after zero to two interim 1xx responses.</summary>
    public static readonly Gen<WireResponse> Any =
        from minor in Gen.Elements(0, 1)
        from status in Gen.Choose(200, 599).Where(s => s is not (204 or 304))
        from reason in Gen.Elements("", " ", " OK", " Not Found", " Reason: with a colon")
        from interims in Gen.Choose(0, 2).SelectMany(n => Gen.ArrayOf(Gen.Elements(100, 103), n))
        from headerCount in Gen.Choose(0, 6)
        from headers in Gen.ArrayOf(HeaderField, headerCount)
        from connection in Gen.Elements<string?>(null, "close", "keep-alive", "Keep-Alive", "Upgrade, close", "TE")
        from framing in Gen.Elements(Framing.ContentLength, Framing.Chunked, Framing.UntilClose, Framing.OtherCodingUntilClose)
        from body in BodyBytes
        from framed in framing == Framing.Chunked ? Chunked(body) : Gen.Constant(body)
        select Build(minor, status, reason, interims, headers, connection, framing, body, framed);

    /// <summary>A response whose end is known without the connection closing, so another may follow it.</summary>
    public static readonly Gen<WireResponse> SelfDelimited = Any.Where(response => !response.CloseDelimited);

    /// <summary>Sorted cut positions in [0, length]: where the socket happens to split the bytes.</summary>
    public static Gen<int[]> Cuts(int length) =>
        from count in Gen.Choose(0, 12)
        from cuts in Gen.ArrayOf(Gen.Choose(0, length), count)
        select cuts.Order().ToArray();

    private static Gen<byte[]> Chunked(byte[] body) =>
        from cuts in body.Length < 2 ? Gen.Constant(Array.Empty<int>()) : Gen.ArrayOf(Gen.Choose(1, body.Length - 1))
        let pieces = Pieces(body, cuts)
        from sizeLines in Gen.CollectToArray(pieces, piece => ChunkSizeLine(piece.Length))
        from lastLine in ChunkSizeLine(0)
        from trailers in Trailers
        select Frame(pieces, sizeLines, lastLine, trailers);

    // Chunk sizes in either case of hex, sometimes with leading zeros, sometimes with extensions.
    private static Gen<string> ChunkSizeLine(int size) =>
        from upper in Gen.Elements(false, true)
        from zeros in Gen.Frequency((3, Gen.Constant(0)), (1, Gen.Choose(1, 3)))
        from extension in ChunkExtension
        select new string('0', zeros) + size.ToString(upper ? "X" : "x", CultureInfo.InvariantCulture) + extension;

    private static byte[][] Pieces(byte[] body, int[] cuts)
    {
        var bounds = cuts.Distinct().Order().Prepend(0).Append(body.Length).ToArray();
        return body.Length == 0 ? [] : [.. bounds.Zip(bounds.Skip(1), (from, to) => body[from..to])];
    }

    private static byte[] Frame(byte[][] pieces, string[] sizeLines, string lastLine, string trailers)
    {
        var framed = new List<byte>();
        for (var i = 0; i < pieces.Length; i++)
        {
            framed.AddRange(Encoding.Latin1.GetBytes(sizeLines[i] + "\r\n"));
            framed.AddRange(pieces[i]);
            framed.AddRange("\r\n"u8);
        }
        framed.AddRange(Encoding.Latin1.GetBytes(lastLine + "\r\n" + trailers + "\r\n"));
        return [.. framed];
    }

    private static WireResponse Build(int minor, int status, string reason, int[] interims, KeyValuePair<string, string>[] headers,
        string? connection, Framing framing, byte[] body, byte[] framed)
    {
        var head = new StringBuilder();
        foreach (var interim in interims)
        {
            head.Append(CultureInfo.InvariantCulture, $"HTTP/1.{minor} {interim} Interim\r\nLink: </style.css>; rel=preload\r\n\r\n");
        }
        head.Append(CultureInfo.InvariantCulture, $"HTTP/1.{minor} {status}{reason}\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }
        head.Append(framing switch
        {
            Framing.ContentLength => string.Create(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n"),
            Framing.Chunked => "Transfer-Encoding: chunked\r\n",
            Framing.OtherCodingUntilClose => "transfer-encoding: gzip\r\n",
            _ => "",
        });
        if (connection is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Connection: {connection}\r\n");
        }
        head.Append("\r\n");
        var tokens = connection?.Split(',', StringSplitOptions.TrimEntries) ?? [];
        var closeDelimited = framing is Framing.UntilClose or Framing.OtherCodingUntilClose;
        var keepAlive = !closeDelimited && !tokens.Contains("close", StringComparer.OrdinalIgnoreCase)
            && (minor == 1 || tokens.Contains("keep-alive", StringComparer.OrdinalIgnoreCase));
        return new WireResponse([.. Encoding.Latin1.GetBytes(head.ToString()), .. framed], status, body, keepAlive, closeDelimited, headers);
    }
}

/// <summary>What one response read produced: the parser's verdict and how many bytes it took.</summary>
internal readonly record struct Fed(ParseStatus Status, int Consumed);

/// <summary>
/// Plays the socket side of <see cref="Http1Connection"/> without a socket: bytes arrive in the given pieces, what the
/// parser leaves unconsumed (a partial line, or a following response) stays and the next piece is appended to it,
/// and after the last piece the peer closes. Several responses may be read one after another, as on a keep-alive connection.
/// </summary>
internal sealed class SimulatedConnection
{
    private readonly byte[] _wire;
    private readonly int[] _cuts;
    private readonly List<byte> _pending = [];
    private int _nextCut;
    private int _at;

    public SimulatedConnection(byte[] wire, IEnumerable<int> cuts)
    {
        _wire = wire;
        _cuts = [.. cuts.Order(), wire.Length];
    }

    public ResponseParser Parser { get; } = new();

    /// <summary>Bytes that arrived but no response consumed yet.</summary>
    public int Unconsumed => _pending.Count;

    public static Fed ReadOne(byte[] wire, IEnumerable<int> cuts, HttpResponseBuffer? keep = null, bool head = false) =>
        new SimulatedConnection(wire, cuts).Read(keep, head);

    public Fed Read(HttpResponseBuffer? keep = null, bool head = false)
    {
        Parser.Begin(head, keep);
        var consumed = 0;
        while (true)
        {
            if (_pending.Count > 0)
            {
                var status = Parser.Parse(CollectionsMarshal.AsSpan(_pending), out var used);
                consumed += used;
                _pending.RemoveRange(0, used);
                if (status != ParseStatus.NeedMore)
                {
                    return new Fed(status, consumed);
                }
            }
            if (_nextCut == _cuts.Length)
            {
                return new Fed(Parser.Finish(), consumed);
            }
            var cut = _cuts[_nextCut++];
            _pending.AddRange(_wire.AsSpan(_at, cut - _at));
            _at = cut;
        }
    }
}
