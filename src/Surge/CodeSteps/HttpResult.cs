using Surge.Http;
using Surge.Json;

namespace Surge;

/// <summary>A response as a C# step sees it: status, headers, body, and what k6 would have recorded about it.</summary>
public sealed class HttpResult
{
    private readonly HttpResponseBuffer _response;

    internal HttpResult(HttpResponseBuffer response, in HttpTimings timings, bool failed)
    {
        _response = response;
        Status = timings.Status;
        Error = timings.Error;
        Duration = Engine.MonotonicClock.ToTimeSpan(timings.Duration);
        Failed = failed;
    }

    /// <summary>The status code; 0 when the request ended in a network error.</summary>
    public int Status { get; }

    /// <summary>
    /// k6's error code for a network failure (e.g. "timeout", "connection_refused"), or why the request was not sent
    /// ("invalid_header", "invalid_method", "invalid_url"); null when a response came.
    /// </summary>
    public string? Error { get; }

    /// <summary>Service time: sending, waiting and receiving, as in http_req_duration.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Whether http_req_failed counted it: a network error or a status outside the expected ones.</summary>
    public bool Failed { get; }

    /// <summary>
    /// The body decoded as UTF-8 (whatever the Content-Type's charset; compressed bodies are not decompressed), empty for
    /// none. A body over 10 MiB fails the request as <c>response_too_large</c>.
    /// </summary>
    public string Body => _response.BodyText;

    /// <summary>The body's bytes as received, chunked framing removed.</summary>
    public ReadOnlyMemory<byte> BodyBytes => _response.Body;

    /// <summary>The first value of a response header, matched case-insensitively, or null.</summary>
    public string? Header(string name) => _response.Header(name);

    /// <summary>The value at a JSON path (e.g. "$.token", "$.items[0].id") as text, or null when it is not there.</summary>
    /// <exception cref="FormatException"><paramref name="path"/> is not a valid JSON path (e.g. empty, or with recursive descent); the message says what is wrong.</exception>
    public string? Json(string path) => JsonPath.Parse(path).TryEvaluate(_response.Body, out var value) ? value.Text : null;
}
