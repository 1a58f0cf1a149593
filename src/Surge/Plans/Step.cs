namespace Surge.Plans;

/// <summary>One thing an iteration does. Requests now; flow steps (think, group, check, ...) extend this.</summary>
public abstract record Step
{
    public SourceLocation? Location { get; init; }
}

/// <summary>
/// An HTTP request. <see cref="Name"/> becomes the `name` tag and groups URLs into one series. URL, header values and
/// body may hold `{{ }}` templates; a request without any is serialized once and sent as is.
/// </summary>
public sealed record RequestStep : Step
{
    public required string Method { get; init; }

    public required string Url { get; init; }

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>Cookies sent with this request only, as one Cookie header; values may hold `{{ }}` templates. Jar cookies of the same name give way.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Cookies { get; init; } = [];

    /// <summary>Redirects this request follows; null takes the test's <see cref="HttpOptions.MaxRedirects"/>, 0 returns the 3xx.</summary>
    public int? MaxRedirects { get; init; }

    /// <summary>Raw body; for `json:` bodies the loader serializes and sets Content-Type.</summary>
    public string? Body { get; init; }

    public string? Name { get; init; }

    /// <summary>Statuses that do not count as failed in `http_req_failed`; k6's default is 200-399.</summary>
    public StatusRanges ExpectedStatuses { get; init; } = StatusRanges.Default;

    /// <summary>k6's request timeout.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>"1.1" (our own sockets, the default) or "2" (HTTP/2 through HttpClient).</summary>
    public string HttpVersion { get; init; } = "1.1";

    public IReadOnlyList<CheckPlan> Checks { get; init; } = [];

    public IReadOnlyList<CapturePlan> Captures { get; init; } = [];

    /// <summary>Samples for custom metrics taken from this request's response.</summary>
    public IReadOnlyList<RecordPlan> Records { get; init; } = [];

    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}

/// <summary>A pause between steps, like a user reading a page: fixed when Min equals Max, else uniform in between.</summary>
public sealed record ThinkStep(TimeSpan Min, TimeSpan Max) : Step;

/// <summary>A set of inclusive status ranges, like k6's http.expectedStatuses.</summary>
public sealed record StatusRanges(IReadOnlyList<(int Min, int Max)> Ranges)
{
    public static readonly StatusRanges Default = new([(200, 399)]);

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
