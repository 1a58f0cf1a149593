using System.Text;
using BenchmarkDotNet.Attributes;
using Surge.Http;
using Surge.Http.Http1;

namespace Surge.Benchmarks;

/// <summary>Parsing one whole response from memory, as Http1Connection does for each request, including Begin().</summary>
public class ResponseParserBenchmarks
{
    private readonly ResponseParser _parser = new();
    private readonly HttpResponseBuffer _keep = new();

    private readonly byte[] _keepAlive = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\n" +
        "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n" +
        "Server: Kestrel\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Length: 12\r\n" +
        "Cache-Control: no-cache\r\n" +
        "Connection: keep-alive\r\n" +
        "X-Request-Id: 0HN1GQ4K2E7Q1:00000001\r\n" +
        "Vary: Accept-Encoding\r\n" +
        "\r\n" +
        "hello world\n");

    private readonly byte[] _chunked = Encoding.ASCII.GetBytes(
        "HTTP/1.1 200 OK\r\n" +
        "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\n" +
        "Server: Kestrel\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Transfer-Encoding: chunked\r\n" +
        "Trailer: X-Checksum\r\n" +
        "\r\n" +
        "4\r\nhell\r\n" +
        "4;ext=1\r\no wo\r\n" +
        "4\r\nrld\n\r\n" +
        "0\r\n" +
        "X-Checksum: 5eb63bbbe01eeed0\r\n" +
        "\r\n");

    [Benchmark]
    public int KeepAliveContentLength() => ParseAll(_keepAlive, null);

    [Benchmark]
    public int ChunkedWithTrailer() => ParseAll(_chunked, null);

    /// <summary>The same response kept for checks: head lines and body copied into a reused buffer.</summary>
    [Benchmark]
    public int KeepAliveIntoResponseBuffer() => ParseAll(_keepAlive, _keep);

    private int ParseAll(byte[] response, HttpResponseBuffer? keep)
    {
        _parser.Begin(headRequest: false, keep);
        var status = _parser.Parse(response, out var consumed);
        if (status != ParseStatus.Complete || consumed != response.Length)
        {
            throw new InvalidOperationException($"parse ended {status} after {consumed} of {response.Length} bytes");
        }
        return _parser.Status;
    }
}
