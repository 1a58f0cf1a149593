using System.Globalization;
using System.Text;
using Surge.Http;
using Surge.Http.Http1;
using Surge.Plans;

namespace Surge.Tests.Http;

public sealed class Http1ClientTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    // One sweep for every client in these tests, as a run has one for all its VUs.
    private static readonly RequestWatchdog Watchdog = new();

    private static HttpRequest Get(Uri url, int timeoutMs = 5000) => new("GET", url, [], null, TimeSpan.FromMilliseconds(timeoutMs));

    private static Http1Client NewClient(HttpOptions? options = null) => new(new PerVuConnections(), options ?? HttpOptions.Default, Watchdog);

    private static async Task<HttpTimings> SendAsync(Http1Client client, HttpRequest request, HttpResponseBuffer? keep = null) =>
        await client.SendAsync(request, keep, CancellationToken.None).AsTask().WaitAsync(Bound);

    private static async Task AnswerEveryRequestAsync(ScriptedConnection connection, byte[] response)
    {
        while (await connection.ReadRequestAsync() is not null)
        {
            await connection.WriteAsync(response);
        }
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 11\r\nX-Kind: fixed\r\n\r\nhello world")]
    [InlineData("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nX-Kind: chunked\r\n\r\n5;a=b\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n")]
    public async Task A_response_dribbled_one_byte_per_write_still_parses(string wire)
    {
        var response = Encoding.Latin1.GetBytes(wire);
        await using var server = ScriptedServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteInPiecesAsync(response, pieceLength: 1);
            }
        });
        using var client = NewClient();
        var keep = new HttpResponseBuffer();

        var timings = await SendAsync(client, Get(server.Url("/dribble")), keep);

        Assert.Null(timings.Error);
        Assert.Equal(200, timings.Status);
        Assert.Equal("hello world", keep.BodyText);
        Assert.NotNull(keep.Header("x-kind"));
        Assert.Equal(response.Length, timings.BytesReceived);
    }

    [Fact]
    public async Task A_server_closing_mid_body_is_response_ended_and_the_next_request_opens_a_new_connection()
    {
        var truncated = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b"u8.ToArray();
        await using var server = ScriptedServer.Start(async connection =>
        {
            if (connection.Index == 0)
            {
                await connection.ReadRequestAsync();
                await connection.WriteAsync(truncated);
                return; // closes the connection mid-body
            }
            await AnswerEveryRequestAsync(connection, ScriptedServer.Ok("fine"));
        });
        using var client = NewClient();
        var keep = new HttpResponseBuffer();

        var failed = await SendAsync(client, Get(server.Url()), keep);
        var next = await SendAsync(client, Get(server.Url()), keep);

        Assert.Equal(NetworkError.ResponseEnded, failed.Error);
        Assert.Equal(0, failed.Status);
        Assert.Equal(truncated.Length, failed.BytesReceived);
        Assert.Null(next.Error);
        Assert.Equal(200, next.Status);
        Assert.Equal("fine", keep.BodyText);
        Assert.Equal(2, server.Accepts);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nhello")]
    [InlineData("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nnot-hex\r\n")]
    public async Task A_malformed_response_is_invalid_response_and_the_connection_is_not_reused(string wire)
    {
        await using var server = ScriptedServer.Start(async connection =>
        {
            if (connection.Index > 0)
            {
                await AnswerEveryRequestAsync(connection, ScriptedServer.Ok("fine"));
                return;
            }
            await connection.ReadRequestAsync();
            await connection.WriteAsync(Encoding.Latin1.GetBytes(wire));
            await connection.HangAsync(); // only the client may end this connection
        });
        using var client = NewClient();

        var failed = await SendAsync(client, Get(server.Url()));
        var next = await SendAsync(client, Get(server.Url()));

        Assert.Equal(NetworkError.InvalidResponse, failed.Error);
        Assert.Equal(0, failed.Status);
        Assert.Equal(200, next.Status);
        Assert.Equal(2, server.Accepts);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_within_the_request_timeout_and_the_client_goes_on()
    {
        await using var server = ScriptedServer.Start(async connection =>
        {
            if (connection.Index > 0)
            {
                await AnswerEveryRequestAsync(connection, ScriptedServer.Ok("late but fine"));
                return;
            }
            await connection.ReadRequestAsync();
            await connection.HangAsync();
        });
        using var client = NewClient();

        var timings = await SendAsync(client, Get(server.Url(), timeoutMs: 300));
        var next = await SendAsync(client, Get(server.Url(), timeoutMs: 5000));

        Assert.Equal(NetworkError.Timeout, timings.Error);
        Assert.Equal(0, timings.Status);
        Assert.Equal(200, next.Status);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(2, server.Accepts);
    }

    [Fact]
    public async Task A_large_chunked_body_crossing_the_receive_buffer_in_odd_pieces_decodes_exactly()
    {
        var random = new Random(20240611);
        var body = new byte[100_000];
        random.NextBytes(body);
        var wire = new List<byte>("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"u8.ToArray());
        for (var at = 0; at < body.Length;)
        {
            var size = Math.Min(random.Next(1, 700), body.Length - at);
            var extension = new string('e', random.Next(0, 40));
            wire.AddRange(Encoding.Latin1.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{size:X};{extension}\r\n")));
            wire.AddRange(body.AsSpan(at, size));
            wire.AddRange("\r\n"u8);
            at += size;
        }
        wire.AddRange("0\r\nX-Trailer: done\r\n\r\n"u8);
        var response = wire.ToArray();
        int[] pieces = [1, 3, 7001, 13, 16384, 2, 999];
        await using var server = ScriptedServer.Start(async connection =>
        {
            while (await connection.ReadRequestAsync() is not null)
            {
                await connection.WriteInPiecesAsync(response, pieces);
            }
        });
        using var client = NewClient();
        var keep = new HttpResponseBuffer();

        var kept = await SendAsync(client, Get(server.Url()), keep);
        var discarded = await SendAsync(client, Get(server.Url()));

        Assert.Equal(200, kept.Status);
        Assert.Equal(body, keep.Body.ToArray());
        Assert.Equal(response.Length, kept.BytesReceived);
        Assert.Equal(200, discarded.Status);
        Assert.Equal(response.Length, discarded.BytesReceived);
        Assert.Equal(1, server.Accepts);
    }

    [Fact]
    public async Task A_header_line_longer_than_the_receive_buffer_is_fine_within_the_64_KB_head_cap()
    {
        var cookie = new string('c', 40_000);
        var response = ScriptedServer.Ok("ok", $"Set-Cookie: {cookie}\r\n");
        await using var server = ScriptedServer.Start(connection => AnswerEveryRequestAsync(connection, response));
        using var client = NewClient();
        var keep = new HttpResponseBuffer();

        var timings = await SendAsync(client, Get(server.Url()), keep);

        Assert.Null(timings.Error);
        Assert.Equal(200, timings.Status);
        Assert.Equal(cookie, keep.Header("set-cookie"));
        Assert.Equal(response.Length, timings.BytesReceived);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(70)]
    public async Task A_head_beyond_64_KB_is_response_too_large(int lines)
    {
        var filler = string.Concat(Enumerable.Repeat($"X-Filler: {new string('f', 70_000 / lines)}\r\n", lines));
        await using var server = ScriptedServer.Start(async connection =>
        {
            await connection.ReadRequestAsync();
            await connection.WriteAsync(ScriptedServer.Ok("ok", filler));
            await connection.HangAsync();
        });
        using var client = NewClient();

        var timings = await SendAsync(client, Get(server.Url()));

        Assert.Equal(NetworkError.ResponseTooLarge, timings.Error);
        Assert.Equal(0, timings.Status);
    }

    [Fact]
    public async Task A_kept_body_over_the_cap_is_response_too_large()
    {
        await using var server = ScriptedServer.Start(connection => AnswerEveryRequestAsync(connection, ScriptedServer.Ok(new string('x', 200))));
        using var client = NewClient();

        var tooLarge = await SendAsync(client, Get(server.Url()), new HttpResponseBuffer(maxBodyBytes: 100));
        var discarded = await SendAsync(client, Get(server.Url()));

        Assert.Equal(NetworkError.ResponseTooLarge, tooLarge.Error);
        Assert.Equal(200, discarded.Status);
    }

    [Fact]
    public async Task Keep_alive_carries_every_request_over_one_connection()
    {
        const int Requests = 5;
        var response = ScriptedServer.Ok("again");
        await using var server = ScriptedServer.Start(connection => AnswerEveryRequestAsync(connection, response));
        using var client = NewClient();

        var statuses = new List<int>();
        for (var i = 0; i < Requests; i++)
        {
            var timings = await SendAsync(client, Get(server.Url()));
            statuses.Add(timings.Status);
            Assert.Equal(response.Length, timings.BytesReceived);
        }

        Assert.Equal(Enumerable.Repeat(200, Requests), statuses);
        Assert.Equal(1, server.Accepts);
        Assert.Equal(Requests, server.Requests.Count);
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok")]
    [InlineData("HTTP/1.0 200 OK\r\n\r\nok")]
    [InlineData("HTTP/1.1 200 OK\r\n\r\nok")]
    public async Task A_response_that_ends_the_connection_makes_the_next_request_open_a_new_one(string wire)
    {
        const int Requests = 3;
        var response = Encoding.Latin1.GetBytes(wire);
        await using var server = ScriptedServer.Start(async connection =>
        {
            await connection.ReadRequestAsync();
            await connection.WriteAsync(response);
        });
        using var client = NewClient();
        var keep = new HttpResponseBuffer();

        for (var i = 0; i < Requests; i++)
        {
            var timings = await SendAsync(client, Get(server.Url()), keep);
            Assert.Equal(200, timings.Status);
            Assert.Equal("ok", keep.BodyText);
            Assert.Equal(response.Length, timings.BytesReceived);
        }

        Assert.Equal(Requests, server.Accepts);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_keep_alive_connection_the_server_closed_while_idle_is_retried_on_a_new_one(bool reset)
    {
        var firstClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = 0;
        await using var server = ScriptedServer.Start(async connection =>
        {
            if (connection.Index == 0)
            {
                await connection.ReadRequestAsync();
                Interlocked.Increment(ref answered); // counted before the client can see the answer
                await connection.WriteAsync(ScriptedServer.Ok("first"));
                if (reset)
                {
                    connection.Reset();
                }
                else
                {
                    connection.Dispose(); // an idle timeout on the server side
                }
                firstClosed.SetResult();
                return;
            }
            while (await connection.ReadRequestAsync() is not null)
            {
                Interlocked.Increment(ref answered);
                await connection.WriteAsync(ScriptedServer.Ok("second"));
            }
        });
        using var client = NewClient();
        var keep = new HttpResponseBuffer();

        var first = await SendAsync(client, Get(server.Url()), keep);
        await firstClosed.Task.WaitAsync(Bound);
        var second = await SendAsync(client, Get(server.Url()), keep);

        Assert.Equal(200, first.Status);
        Assert.Null(second.Error);
        Assert.Equal(200, second.Status);
        Assert.Equal("second", keep.BodyText);
        Assert.Equal(2, Volatile.Read(ref answered));
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(2, server.Accepts);
    }

    [Fact]
    public async Task Pipelined_bytes_of_the_next_response_are_kept_for_the_next_request()
    {
        var one = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none"u8.ToArray();
        var two = "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n"u8.ToArray();
        var secondRequestRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = ScriptedServer.Start(async connection =>
        {
            await connection.ReadRequestAsync();
            await connection.WriteAsync([.. one, .. two]);
            await connection.ReadRequestAsync();
            secondRequestRead.SetResult();
            await connection.HangAsync(); // never writes another byte
        });
        using var client = NewClient();
        var keep = new HttpResponseBuffer();

        var first = await SendAsync(client, Get(server.Url("/1")), keep);
        Assert.Equal(200, first.Status);
        Assert.Equal("one", keep.BodyText);
        Assert.Equal(one.Length, first.BytesReceived);

        var second = await SendAsync(client, Get(server.Url("/2")), keep);
        await secondRequestRead.Task.WaitAsync(Bound);

        Assert.Equal(202, second.Status);
        Assert.Equal("two", keep.BodyText);
        Assert.Equal(two.Length, second.BytesReceived);
        Assert.Equal(1, server.Accepts);
    }

    [Fact]
    public async Task A_response_to_HEAD_ends_after_its_head_and_the_connection_carries_on()
    {
        var headResponse = "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n"u8.ToArray();
        await using var server = ScriptedServer.Start(async connection =>
        {
            await connection.ReadRequestAsync();
            await connection.WriteAsync(headResponse);
            await AnswerEveryRequestAsync(connection, ScriptedServer.Ok("body"));
        });
        using var client = NewClient();

        var head = await SendAsync(client, new HttpRequest("HEAD", server.Url(), [], null, TimeSpan.FromSeconds(5)));
        var get = await SendAsync(client, Get(server.Url()));

        Assert.Equal(200, head.Status);
        Assert.Equal(headResponse.Length, head.BytesReceived);
        Assert.Equal(200, get.Status);
        Assert.Equal(1, server.Accepts);
    }

    [Fact]
    public async Task The_request_goes_on_the_wire_byte_for_byte_as_prepared_and_is_counted_as_sent()
    {
        await using var server = ScriptedServer.Start(connection => AnswerEveryRequestAsync(connection, ScriptedServer.Ok("")));
        using var client = NewClient();
        var url = server.Url("/submit?x=1&y=%20");
        var request = new HttpRequest("post", url, [KeyValuePair.Create("X-Test", "yes"), KeyValuePair.Create("Content-Length", "999")],
            "héllo", TimeSpan.FromSeconds(5));

        var timings = await SendAsync(client, request);

        var expected = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"POST /submit?x=1&y=%20 HTTP/1.1\r\nHost: 127.0.0.1:{url.Port}\r\nX-Test: yes\r\nUser-Agent: surge\r\nContent-Length: 6\r\n\r\nhéllo"));
        Assert.Equal(200, timings.Status);
        Assert.Equal(expected, request.Wire);
        Assert.Equal(request.Wire, Assert.Single(server.Requests));
        Assert.Equal(request.Wire.Length, timings.BytesSent);
    }

    [Fact]
    public async Task Cancelling_the_token_interrupts_a_hanging_request_without_waiting_for_its_timeout_and_it_comes_back_interrupted()
    {
        var requestRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = ScriptedServer.Start(async connection =>
        {
            await connection.ReadRequestAsync();
            requestRead.TrySetResult();
            await connection.HangAsync();
        });
        using var client = NewClient();
        using var cancellation = new CancellationTokenSource();

        var sending = client.SendAsync(Get(server.Url(), timeoutMs: 60_000), null, cancellation.Token).AsTask();
        await requestRead.Task.WaitAsync(Bound);
        await cancellation.CancelAsync();

        var interrupted = await sending.WaitAsync(Bound);
        Assert.Equal(NetworkError.Interrupted, interrupted.Error);
        Assert.Equal(0, interrupted.Status);
        Assert.True(interrupted.Waiting > 0, "the time the request had been waiting is kept");
        var next = await SendAsync(client, Get(server.Url(), timeoutMs: 300));
        Assert.Equal(NetworkError.Timeout, next.Error); // a fresh deadline, not the cancelled one
        Assert.Equal(2, server.Accepts);
    }

    [Fact]
    public async Task Two_clients_sharing_one_pool_use_one_server_connection_for_sequential_requests()
    {
        await using var server = ScriptedServer.Start(connection => AnswerEveryRequestAsync(connection, ScriptedServer.Ok("shared")));
        using var pool = new SharedConnections();
        using var first = new Http1Client(pool, HttpOptions.Default, Watchdog);
        using var second = new Http1Client(pool, HttpOptions.Default, Watchdog);

        var statuses = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            statuses.Add((await SendAsync(first, Get(server.Url()))).Status);
            statuses.Add((await SendAsync(second, Get(server.Url()))).Status);
        }

        Assert.Equal(Enumerable.Repeat(200, 6), statuses);
        Assert.Equal(1, server.Accepts);
        Assert.Equal(6, server.Requests.Count);
    }

    [Fact]
    public async Task Https_handshakes_once_and_reuses_the_TLS_connection()
    {
        await using var server = await TlsServer.StartAsync();
        using var client = NewClient(new HttpOptions { InsecureSkipTlsVerify = true });
        var keep = new HttpResponseBuffer();

        var first = await SendAsync(client, Get(server.Url), keep);
        var second = await SendAsync(client, Get(server.Url), keep);

        Assert.Null(first.Error);
        Assert.Equal(200, first.Status);
        Assert.True(first.TlsHandshaking > 0);
        Assert.Equal(200, second.Status);
        Assert.Equal(0, second.TlsHandshaking);
        Assert.Equal("secure\n", keep.BodyText);
        Assert.Equal(1, server.Connections);
    }

    [Fact]
    public async Task Https_with_an_untrusted_certificate_fails_as_tls()
    {
        await using var server = await TlsServer.StartAsync();
        using var client = NewClient();

        var timings = await SendAsync(client, Get(server.Url));

        Assert.Equal(NetworkError.Tls, timings.Error);
        Assert.Equal(0, timings.Status);
    }
}
