namespace Surge.Http;

/// <summary>The outcome of one request with k6's timing phases, all in Stopwatch ticks.</summary>
internal struct HttpTimings
{
    /// <summary>The status code, or 0 when the request failed without one.</summary>
    public int Status { get; set; }

    /// <summary>A <see cref="NetworkError"/> name when the request failed without a status.</summary>
    public string? Error { get; set; }

    public long Blocked { get; set; }
    public long Connecting { get; set; }
    public long TlsHandshaking { get; set; }
    public long Sending { get; set; }
    public long Waiting { get; set; }
    public long Receiving { get; set; }
    public long BytesSent { get; set; }
    public long BytesReceived { get; set; }

    /// <summary>When the response ended (Stopwatch ticks), so that an iteration ending with it needs no clock read.</summary>
    public long EndedAt { get; set; }

    /// <summary>k6's http_req_duration: sending + waiting + receiving.</summary>
    public readonly long Duration => Sending + Waiting + Receiving;
}
