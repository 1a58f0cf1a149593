namespace Surge.Plans;

/// <summary>What a check looks at in a response.</summary>
public enum CheckKind
{
    /// <summary>The status is one of <see cref="CheckPlan.Statuses"/>.</summary>
    Status,

    /// <summary>The header <see cref="CheckPlan.Subject"/> exists, or equals <see cref="CheckPlan.Expected"/> when given.</summary>
    Header,

    /// <summary>The JSON path <see cref="CheckPlan.Subject"/> exists, or equals <see cref="CheckPlan.Expected"/> when given.</summary>
    JsonPath,

    /// <summary>The body contains <see cref="CheckPlan.Expected"/>.</summary>
    BodyContains,

    /// <summary>The body matches the regular expression <see cref="CheckPlan.Expected"/>.</summary>
    BodyMatches,

    /// <summary>
    /// The duration is below <see cref="CheckPlan.MaxDuration"/>: a request's http_req_duration, a gRPC call's, or the
    /// time a WebSocket receive waited.
    /// </summary>
    Duration,
}

/// <summary>
/// One check on a response, k6's `check`: each evaluation adds to the `checks` rate (tagged `check:NAME`), so
/// thresholds like `checks{check:status is 201}: rate>0.99` work. A failed check never stops the iteration.
/// </summary>
/// <param name="Name">The `check` tag and the name in the summary, e.g. "status is 201".</param>
/// <param name="Kind">What the check reads; it decides which of the other properties it needs.</param>
public sealed record CheckPlan(string Name, CheckKind Kind)
{
    /// <summary>The header name (any case) for <see cref="CheckKind.Header"/>, the JSON path for <see cref="CheckKind.JsonPath"/>; null otherwise.</summary>
    public string? Subject { get; init; }

    /// <summary>
    /// The value to compare with, taken literally: the header's exact value, the JSON value (numbers, booleans and
    /// objects compared by value), the text a body contains, or the regular expression it matches. Null for a Header
    /// or JsonPath check means "exists".
    /// </summary>
    public string? Expected { get; init; }

    /// <summary>For <see cref="CheckKind.Status"/>: the statuses that pass (gRPC codes 0-16 for a gRPC step); a request that got no response fails.</summary>
    public StatusRanges? Statuses { get; init; }

    /// <summary>For <see cref="CheckKind.Duration"/>: the check passes when the duration is below this.</summary>
    public TimeSpan MaxDuration { get; init; }

    /// <summary>Where the check was written, for errors about it; null when unknown.</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>Where a capture reads from.</summary>
public enum CaptureSource
{
    /// <summary>The JSON value at a path of the body (`$.token`), as text; a string without its quotes.</summary>
    JsonPath,

    /// <summary>A group (<see cref="CapturePlan.Group"/>) of the first match of a regular expression in the body.</summary>
    Regex,

    /// <summary>The value of the first response header of that name (any case).</summary>
    Header,
}

/// <summary>
/// Stores a piece of a response in a VU variable, e.g. a token for the next requests. A capture that finds nothing
/// fails the iteration (and is counted), since the steps after it would run with a missing value.
/// </summary>
/// <param name="Variable">The VU variable the value is stored in, read back as `{{ Variable }}` or <c>ctx.Vars[...]</c>.</param>
/// <param name="Source">Where in the response the value is read.</param>
/// <param name="Expression">The JSON path, regular expression or header name, as <paramref name="Source"/> says.</param>
public sealed record CapturePlan(string Variable, CaptureSource Source, string Expression)
{
    /// <summary>The regex group to keep (1 by default; 0 is the whole match).</summary>
    public int Group { get; init; } = 1;

    /// <summary>When set, every captured value is also written to the run's ledger of this name, for a verify stage.</summary>
    public string? Ledger { get; init; }

    /// <summary>Where the capture was written, for errors about it; null when unknown.</summary>
    public SourceLocation? Location { get; init; }
}
