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

    /// <summary>http_req_duration is below <see cref="CheckPlan.MaxDuration"/>.</summary>
    Duration,
}

/// <summary>
/// One check on a response, k6's `check`: each evaluation adds to the `checks` rate (tagged `check:NAME`), so
/// thresholds like `checks{check:status is 201}: rate>0.99` work. A failed check never stops the iteration.
/// </summary>
public sealed record CheckPlan(string Name, CheckKind Kind)
{
    public string? Subject { get; init; }

    public string? Expected { get; init; }

    public StatusRanges? Statuses { get; init; }

    public TimeSpan MaxDuration { get; init; }

    public SourceLocation? Location { get; init; }
}

/// <summary>Where a capture reads from.</summary>
public enum CaptureSource
{
    JsonPath,
    Regex,
    Header,
}

/// <summary>
/// Stores a piece of a response in a VU variable, e.g. a token for the next requests. A capture that finds nothing
/// fails the iteration (and is counted), since the steps after it would run with a missing value.
/// </summary>
public sealed record CapturePlan(string Variable, CaptureSource Source, string Expression)
{
    /// <summary>The regex group to keep (1 by default; 0 is the whole match).</summary>
    public int Group { get; init; } = 1;

    /// <summary>When set, every captured value is also written to the run's ledger of this name, for a verify stage.</summary>
    public string? Ledger { get; init; }

    public SourceLocation? Location { get; init; }
}
