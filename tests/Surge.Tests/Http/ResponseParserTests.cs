using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Surge.Http;
using Surge.Http.Http1;

namespace Surge.Tests.Http;

public sealed class ResponseParserTests
{
    private static readonly Config Properties = Config.QuickThrowOnFailure.WithMaxTest(100);

    private const string ChunkedWithEverything =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Kind: edge\r\n\r\n"
        + "5;a=b\r\nhello\r\n"
        + "00009;name=\"quoted; value\"\r\n, chunked\r\n"
        + "1 ;x\r\n!\r\n"
        + "0\r\nX-Checksum: abc\r\nX-More: yes\r\n\r\n";

    /// <summary>Representative responses whose every split point is tried, whatever the generator happens to draw.</summary>
    public static TheoryData<string> Samples => new()
    {
        "content-length",
        "chunked-with-extensions-and-trailers",
        "interim-then-final",
        "close-delimited",
        "http10-keep-alive",
    };

    private static WireResponse Sample(string name) => name switch
    {
        "content-length" => WireResponse.Of("HTTP/1.1 201 Created\r\nContent-Length: 11\r\nX-A: b\r\n\r\nhello world", 201, "hello world"),
        "chunked-with-extensions-and-trailers" => WireResponse.Of(ChunkedWithEverything, 200, "hello, chunked!"),
        "interim-then-final" => WireResponse.Of(
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 4\r\n\r\nnope",
            404, "nope"),
        "close-delimited" => WireResponse.Of("HTTP/1.1 200 OK\r\nServer: old\r\n\r\nuntil the end", 200, "until the end",
            keepAlive: false, closeDelimited: true),
        "http10-keep-alive" => WireResponse.Of("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok", 200, "ok"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static void AssertParsedExactly(WireResponse response, IEnumerable<int> cuts)
    {
        var keep = new HttpResponseBuffer();
        var connection = new SimulatedConnection(response.Wire, cuts);

        var fed = connection.Read(keep);

        Assert.Equal(ParseStatus.Complete, fed.Status);
        Assert.Equal(response.Wire.Length, fed.Consumed);
        Assert.Equal(response.Status, connection.Parser.Status);
        Assert.Equal(response.Status, keep.Status);
        Assert.Equal(response.KeepAlive, connection.Parser.KeepAlive);
        Assert.Equal(response.Body, keep.Body.ToArray());
        Assert.Null(connection.Parser.Error);
        foreach (var name in response.Headers.Select(header => header.Key).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var first = response.Headers.First(header => header.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
            Assert.Equal(first, keep.Header(name.ToUpperInvariant()));
        }
        Assert.Null(keep.Header("Link")); // interim responses' headers are not the final response's
    }

    private static void AssertDiscardingParsesTheSame(WireResponse response, IEnumerable<int> cuts)
    {
        var connection = new SimulatedConnection(response.Wire, cuts);

        var fed = connection.Read(keep: null);

        Assert.Equal(new Fed(ParseStatus.Complete, response.Wire.Length), fed);
        Assert.Equal(response.Status, connection.Parser.Status);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_sample_response_split_in_two_at_every_byte_boundary_parses_exactly(string sample)
    {
        var response = Sample(sample);
        for (var cut = 0; cut <= response.Wire.Length; cut++)
        {
            AssertParsedExactly(response, [cut]);
            AssertDiscardingParsesTheSame(response, [cut]);
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_sample_response_arriving_one_byte_at_a_time_parses_exactly(string sample)
    {
        var response = Sample(sample);
        AssertParsedExactly(response, Enumerable.Range(1, response.Wire.Length - 1));
    }

    [Fact]
    public void Any_generated_response_split_in_two_at_every_byte_boundary_parses_exactly()
    {
        Check.One(Properties, Prop.ForAll(WireResponseGen.Any.ToArbitrary(), response =>
        {
            for (var cut = 0; cut <= response.Wire.Length; cut++)
            {
                AssertParsedExactly(response, [cut]);
            }
        }));
    }

    [Fact]
    public void Any_generated_response_split_into_random_pieces_parses_exactly_whether_kept_or_discarded()
    {
        var cases = from response in WireResponseGen.Any
                    from cuts in WireResponseGen.Cuts(response.Wire.Length)
                    select (response, cuts);
        Check.One(Properties, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            AssertParsedExactly(c.response, c.cuts);
            AssertDiscardingParsesTheSame(c.response, c.cuts);
        }));
    }

    [Fact]
    public void Any_self_delimited_response_cut_short_anywhere_ends_as_response_ended_when_the_peer_closes()
    {
        Check.One(Properties, Prop.ForAll(WireResponseGen.SelfDelimited.ToArbitrary(), response =>
        {
            for (var length = 0; length < response.Wire.Length; length++)
            {
                var connection = new SimulatedConnection(response.Wire[..length], []);

                var fed = connection.Read(new HttpResponseBuffer());

                Assert.Equal(ParseStatus.Failed, fed.Status);
                Assert.Equal(NetworkError.ResponseEnded, connection.Parser.Error);
            }
        }));
    }

    [Fact]
    public void Two_generated_responses_back_to_back_parse_one_after_the_other_whatever_the_splits()
    {
        var cases = from first in WireResponseGen.SelfDelimited
                    from second in WireResponseGen.Any
                    let wire = first.Wire.Concat(second.Wire).ToArray()
                    from cuts in WireResponseGen.Cuts(wire.Length)
                    select (first, second, wire, cuts);
        Check.One(Properties, Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var connection = new SimulatedConnection(c.wire, c.cuts);
            var firstBody = new HttpResponseBuffer();
            var secondBody = new HttpResponseBuffer();

            var first = connection.Read(firstBody);
            var second = connection.Read(secondBody);

            Assert.Equal(new Fed(ParseStatus.Complete, c.first.Wire.Length), first);
            Assert.Equal(new Fed(ParseStatus.Complete, c.second.Wire.Length), second);
            Assert.Equal(c.first.Body, firstBody.Body.ToArray());
            Assert.Equal(c.second.Body, secondBody.Body.ToArray());
            Assert.Equal(c.second.Status, secondBody.Status);
        }));
    }

    [Fact]
    public void Pipelined_responses_in_one_buffer_leave_the_second_unconsumed_for_the_next_read()
    {
        var first = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"u8.ToArray();
        var second = "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"u8.ToArray();
        var connection = new SimulatedConnection([.. first, .. second], []);
        var keep = new HttpResponseBuffer();

        var one = connection.Read(keep);

        Assert.Equal(new Fed(ParseStatus.Complete, first.Length), one);
        Assert.Equal("one", keep.BodyText);
        Assert.Equal(second.Length, connection.Unconsumed);

        var two = connection.Read(keep);

        Assert.Equal(new Fed(ParseStatus.Complete, second.Length), two);
        Assert.Equal(202, keep.Status);
        Assert.Equal("two", keep.BodyText);
        Assert.Equal(0, connection.Unconsumed);
    }

    [Theory]
    [InlineData("5;a=b\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("B\r\nhello world\r\n0\r\n\r\n", "hello world")]
    [InlineData("b\r\nhello world\r\n0\r\n\r\n", "hello world")]
    [InlineData("0005\r\nhello\r\n000\r\n\r\n", "hello")]
    [InlineData("00000000000000000005\r\nhello\r\n0\r\n\r\n", "hello")]
    [InlineData("5\r\nhello\r\n0\r\nX-Trailer: 1\r\nX-Other: two\r\n\r\n", "hello")]
    [InlineData("0\r\n\r\n", "")]
    [InlineData("0;final=yes\r\nX-Trailer: only\r\n\r\n", "")]
    [InlineData("5 ; spaced = ext\r\nhello\r\n0\r\n\r\n", "hello")]
    public void Chunked_edge_cases_decode_to_the_body(string chunks, string body)
    {
        var response = WireResponse.Of("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks, 200, body);
        for (var cut = 0; cut <= response.Wire.Length; cut++)
        {
            AssertParsedExactly(response, [cut]);
        }
    }

    [Theory]
    [InlineData("5\r\nhelloXX\r\n0\r\n\r\n")] // data longer than its size: no CRLF where the chunk ends
    [InlineData("5\r\nhello0\r\n\r\n")] // the CRLF after the data is missing altogether
    [InlineData("6\r\nhello\r\n0\r\n\r\n")] // a size one too large eats the CR, leaving a lone LF
    [InlineData("zz\r\nhello\r\n0\r\n\r\n")] // size is not hex
    [InlineData("\r\nhello\r\n0\r\n\r\n")] // size is empty
    [InlineData("-5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("0x5\r\nhello\r\n0\r\n\r\n")]
    [InlineData("5 garbage\r\nhello\r\n0\r\n\r\n")]
    [InlineData("10000000000000000\r\nhello\r\n0\r\n\r\n")] // 2^64: larger than any body
    [InlineData("FFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n")]
    public void Malformed_chunk_framing_is_an_invalid_response(string chunks)
    {
        var wire = Encoding.Latin1.GetBytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunks);
        for (var cut = 0; cut <= wire.Length; cut++)
        {
            var connection = new SimulatedConnection(wire, [cut]);

            var fed = connection.Read(new HttpResponseBuffer());

            Assert.Equal(ParseStatus.Failed, fed.Status);
            Assert.Equal(NetworkError.InvalidResponse, connection.Parser.Error);
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(103)]
    public void Interim_responses_are_skipped_and_the_final_one_is_reported(int interim)
    {
        var wire = $"HTTP/1.1 {interim} Interim\r\nLink: </a.css>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Final: yes\r\n\r\nok";
        var response = WireResponse.Of(wire, 200, "ok");
        AssertParsedExactly(response, []);

        var keep = new HttpResponseBuffer();
        SimulatedConnection.ReadOne(response.Wire, [], keep);
        Assert.Equal("yes", keep.Header("x-final"));
    }

    [Fact]
    public void A_response_to_HEAD_has_no_body_whatever_its_Content_Length_says()
    {
        var head = "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\nTransfer-Encoding: identity\r\n\r\n"u8.ToArray();
        var next = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"u8.ToArray();
        var connection = new SimulatedConnection([.. head, .. next], []);
        var keep = new HttpResponseBuffer();

        var fed = connection.Read(keep, head: true);

        Assert.Equal(new Fed(ParseStatus.Complete, head.Length), fed);
        Assert.True(connection.Parser.KeepAlive);
        Assert.Equal(0, keep.Body.Length);
        Assert.Equal("1234", keep.Header("content-length"));
        Assert.Equal(new Fed(ParseStatus.Complete, next.Length), connection.Read());
    }

    [Theory]
    [InlineData(204)]
    [InlineData(304)]
    public void No_content_and_not_modified_have_no_body_even_with_a_length(int status)
    {
        var response = WireResponse.Of($"HTTP/1.1 {status} X\r\nContent-Length: 10\r\nETag: \"v1\"\r\n\r\n", status, "");
        for (var cut = 0; cut <= response.Wire.Length; cut++)
        {
            AssertParsedExactly(response, [cut]);
        }
    }

    [Fact]
    public void A_close_delimited_body_completes_only_when_the_peer_closes()
    {
        var wire = "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it"u8.ToArray();
        var parser = new ResponseParser();
        var keep = new HttpResponseBuffer();
        parser.Begin(headRequest: false, keep);

        Assert.Equal(ParseStatus.NeedMore, parser.Parse(wire, out var consumed));
        Assert.Equal(wire.Length, consumed);
        Assert.Equal(ParseStatus.Complete, parser.Finish());
        Assert.False(parser.KeepAlive);
        Assert.Equal("all of it", keep.BodyText);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-Trailer: cut")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Le")]
    [InlineData("")]
    public void The_peer_closing_mid_response_is_response_ended(string wire)
    {
        var connection = new SimulatedConnection(Encoding.Latin1.GetBytes(wire), []);

        var fed = connection.Read(new HttpResponseBuffer());

        Assert.Equal(ParseStatus.Failed, fed.Status);
        Assert.Equal(NetworkError.ResponseEnded, connection.Parser.Error);
        Assert.Equal(ParseStatus.Failed, connection.Parser.Finish());
    }

    [Theory]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("HTTP/2 200 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 20 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 2000 OK\r\n\r\n")]
    [InlineData("HTTP/1.1 abc OK\r\n\r\n")]
    [InlineData("HTTP/1.1 099 Low\r\n\r\n")]
    [InlineData("HTTP/1.x 200 OK\r\n\r\n")]
    [InlineData("http/1.1 200 OK\r\n\r\n")]
    [InlineData("\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n: empty name\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 12abc\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n")]
    public void A_malformed_head_is_an_invalid_response(string wire)
    {
        var bytes = Encoding.Latin1.GetBytes(wire);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var connection = new SimulatedConnection(bytes, [cut]);

            var fed = connection.Read(new HttpResponseBuffer());

            Assert.Equal(ParseStatus.Failed, fed.Status);
            Assert.Equal(NetworkError.InvalidResponse, connection.Parser.Error);
        }
    }

    [Fact]
    public void The_same_Content_Length_twice_is_accepted()
    {
        AssertParsedExactly(WireResponse.Of("HTTP/1.1 200 OK\r\nContent-Length: 2\r\ncontent-length: 2\r\n\r\nok", 200, "ok"), []);
    }

    [Fact]
    public void A_head_of_many_lines_beyond_64_KB_is_response_too_large()
    {
        var line = "X-Filler: " + new string('f', 990) + "\r\n";
        var head = "HTTP/1.1 200 OK\r\n" + string.Concat(Enumerable.Repeat(line, 66)) + "Content-Length: 0\r\n\r\n";
        var wire = Encoding.Latin1.GetBytes(head);

        var connection = new SimulatedConnection(wire, [.. Enumerable.Range(1, wire.Length / 1000).Select(i => i * 1000)]);
        var fed = connection.Read(new HttpResponseBuffer());

        Assert.True(wire.Length > ResponseParser.MaxHeadBytes);
        Assert.Equal(ParseStatus.Failed, fed.Status);
        Assert.Equal(NetworkError.ResponseTooLarge, connection.Parser.Error);
    }

    [Fact]
    public void A_single_head_line_growing_beyond_64_KB_without_a_newline_is_response_too_large()
    {
        var parser = new ResponseParser();
        parser.Begin(headRequest: false, keep: null);
        var partial = Encoding.Latin1.GetBytes("HTTP/1.1 200 OK\r\nX-Endless: " + new string('e', ResponseParser.MaxHeadBytes));

        var status = parser.Parse(partial, out var consumed);

        Assert.Equal(ParseStatus.Failed, status);
        Assert.Equal(NetworkError.ResponseTooLarge, parser.Error);
        Assert.Equal("HTTP/1.1 200 OK\r\n".Length, consumed);
    }

    [Fact]
    public void A_head_just_under_64_KB_is_fine()
    {
        const string Start = "HTTP/1.1 200 OK\r\nX-Big: ";
        const string End = "\r\nContent-Length: 2\r\n\r\n";
        var head = Start + new string('b', ResponseParser.MaxHeadBytes - Start.Length - End.Length) + End;
        Assert.Equal(ResponseParser.MaxHeadBytes, head.Length);

        AssertParsedExactly(WireResponse.Of(head + "ok", 200, "ok"), [1000, 40000]);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: {0}\r\n\r\n{1}")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n{0:x}\r\n{1}\r\n0\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n{1}")]
    public void A_kept_body_over_the_cap_is_response_too_large_but_a_discarded_one_is_not(string template)
    {
        const int Cap = 100;
        string Wire(int length) => string.Format(CultureInfo.InvariantCulture, template, length, new string('x', length));

        var atCap = new SimulatedConnection(Encoding.Latin1.GetBytes(Wire(Cap)), [50]);
        Assert.Equal(ParseStatus.Complete, atCap.Read(new HttpResponseBuffer(Cap)).Status);

        var overCap = new SimulatedConnection(Encoding.Latin1.GetBytes(Wire(Cap + 1)), [50]);
        Assert.Equal(ParseStatus.Failed, overCap.Read(new HttpResponseBuffer(Cap)).Status);
        Assert.Equal(NetworkError.ResponseTooLarge, overCap.Parser.Error);

        var discarded = new SimulatedConnection(Encoding.Latin1.GetBytes(Wire(Cap + 1)), [50]);
        Assert.Equal(ParseStatus.Complete, discarded.Read(keep: null).Status);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: Keep-Alive, CLOSE\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false)]
    [InlineData("HTTP/1.0 200 OK\r\nconnection: keep-alive\r\nContent-Length: 0\r\n\r\n", true)]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n", true)]
    public void Keep_alive_follows_the_version_and_the_Connection_tokens(string wire, bool keepAlive)
    {
        var connection = new SimulatedConnection(Encoding.Latin1.GetBytes(wire), []);

        Assert.Equal(ParseStatus.Complete, connection.Read().Status);
        Assert.Equal(keepAlive, connection.Parser.KeepAlive);
    }

    [Fact]
    public void Header_lookup_ignores_case_and_returns_the_first_value_trimmed()
    {
        var keep = new HttpResponseBuffer();
        var wire = "HTTP/1.1 200 OK\r\nContent-Type:  text/plain \r\nX-Dup: first\r\nx-dup: second\r\nContent-Length: 0\r\n\r\n"u8.ToArray();

        SimulatedConnection.ReadOne(wire, [], keep);

        Assert.Equal("text/plain", keep.Header("CONTENT-TYPE"));
        Assert.Equal("text/plain", keep.Header("content-type"));
        Assert.Equal("first", keep.Header("X-DUP"));
        Assert.Equal("0", keep.Header("Content-Length"));
        Assert.Null(keep.Header("Content"));
        Assert.Null(keep.Header("Missing"));
    }

    [Fact]
    public void A_reused_buffer_forgets_the_previous_response()
    {
        var keep = new HttpResponseBuffer();
        SimulatedConnection.ReadOne("HTTP/1.1 200 OK\r\nX-Old: 1\r\nContent-Length: 3\r\n\r\nold"u8.ToArray(), [], keep);

        SimulatedConnection.ReadOne("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"u8.ToArray(), [], keep);

        Assert.Equal(404, keep.Status);
        Assert.Equal(0, keep.Body.Length);
        Assert.Null(keep.Header("X-Old"));
    }
}
