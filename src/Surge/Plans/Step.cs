namespace Surge.Plans;

/// <summary>
/// One thing an iteration does: an HTTP request, a gRPC call, a WebSocket session, a pause, a group, a loop, a log
/// line or C# code. Steps run one after another, in order.
/// </summary>
public abstract record Step
{
    /// <summary>Where the step was written (YAML node, C# caller line), for errors about it; null when unknown.</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>
/// An HTTP request. <see cref="Name"/> becomes the `name` tag and groups URLs into one series. URL, header values and
/// body may hold `{{ }}` templates; a request without any is serialized once and sent as is.
/// </summary>
public sealed record RequestStep : Step
{
    /// <summary>The HTTP method as sent, e.g. "GET", "POST".</summary>
    public required string Method { get; init; }

    /// <summary>An absolute http(s) URL, or one relative to the test's base URL (<see cref="HttpOptions.BaseAddress"/>).</summary>
    public required string Url { get; init; }

    /// <summary>Request headers in order; a name may repeat. Values may hold `{{ }}` templates, names may not.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Cookies sent with this request only, as one Cookie header; values may hold `{{ }}` templates. Jar cookies of the same name give way.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Cookies { get; init; } = [];

    /// <summary>Redirects this request follows; null takes the test's <see cref="HttpOptions.MaxRedirects"/>, 0 returns the 3xx.</summary>
    public int? MaxRedirects { get; init; }

    /// <summary>Raw body; for `json:` bodies the loader serializes and sets Content-Type.</summary>
    public string? Body { get; init; }

    /// <summary>
    /// k6's `name` tag, which groups requests into one series (`GET /items/{{ id }}` as "item"); null uses
    /// <see cref="Url"/> as written, templates unrendered.
    /// </summary>
    public string? Name { get; init; }

    /// <summary>Statuses that do not count as failed in `http_req_failed`; k6's default is 200-399.</summary>
    public StatusRanges ExpectedStatuses { get; init; } = StatusRanges.Default;

    /// <summary>k6's request timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// k6's timeout: how long the request may take from start to its last response byte before it fails with the
    /// error code `timeout`; <see cref="DefaultTimeout"/> (60s) by default.
    /// </summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>"1.1" (our own sockets, the default) or "2" (HTTP/2 through HttpClient).</summary>
    public string HttpVersion { get; init; } = "1.1";

    /// <summary>k6's checks on the response, each adding a pass or a fail to the `checks` rate.</summary>
    public IReadOnlyList<CheckPlan> Checks { get; init; } = [];

    /// <summary>Values taken from the response into VU variables for the steps after it.</summary>
    public IReadOnlyList<CapturePlan> Captures { get; init; } = [];

    /// <summary>Samples for custom metrics taken from this request's response.</summary>
    public IReadOnlyList<RecordPlan> Records { get; init; } = [];

    /// <summary>Tags on this request's samples, on top of the scenario's, flow's and group's.</summary>
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>A pause between steps, like a user reading a page: fixed when Min equals Max, else uniform in between.</summary>
public sealed record ThinkStep(TimeSpan Min, TimeSpan Max) : Step;

/// <summary>A set of inclusive status ranges, like k6's http.expectedStatuses.</summary>
/// <param name="Ranges">Inclusive (Min, Max) pairs; a single status is a pair with Min equal to Max.</param>
public sealed record StatusRanges(IReadOnlyList<(int Min, int Max)> Ranges)
{
    /// <summary>k6's default expected statuses, 200-399: successes and redirects.</summary>
    public static readonly StatusRanges Default = new([(200, 399)]);

    /// <summary>True when <paramref name="status"/> falls in one of the ranges.</summary>
    public bool Contains(int status)
    {
        foreach (var (min, max) in Ranges)
        {
            if (status >= min && status <= max)
            {
                return true;
            }
        }
        return false;
    }
}
