namespace Surge.Plans;

/// <summary>
/// After the load and teardown, proves the server kept every write: the ids the client saw acknowledged (captures
/// with a <see cref="CapturePlan.Ledger"/>) are compared with the server's own list, read by <see cref="Request"/>
/// as a JSON array whose elements carry <see cref="IdField"/>. Duplicates, missing records and a count mismatch
/// become checks (`verify LEDGER: ...`), so thresholds can gate on them.
/// </summary>
/// <param name="Ledger">The ledger to prove: the name captures and <c>ctx.Acknowledge</c> wrote the acknowledged ids under.</param>
/// <param name="Request">The GET that lists the server's records (its first page when paged).</param>
/// <param name="IdField">The field of each listed record that holds its id, e.g. "id".</param>
public sealed record VerifyPlan(string Ledger, RequestStep Request, string IdField)
{
    /// <summary>Where the verify stage was written, for errors about it; null when unknown.</summary>
    public SourceLocation? Location { get; init; }

    /// <summary>A JSON path to the array when the list comes wrapped in an object (`$.data`); null: the body is the array.</summary>
    public string? RecordsPath { get; init; }

    /// <summary>How to walk a list longer than one page; by default a `Link: &lt;...&gt;; rel="next"` header is followed.</summary>
    public VerifyPaging Paging { get; init; } = VerifyPaging.LinkHeader;
}

/// <summary>How a verify stage finds the next page of the server's list.</summary>
public enum VerifyPagingStyle
{
    /// <summary>Follow `Link: &lt;url&gt;; rel="next"` response headers (RFC 8288) while there are any.</summary>
    LinkHeader,

    /// <summary>Ask for page <see cref="VerifyPaging.FirstPage"/>, the next, ... until a page comes back empty.</summary>
    PageNumber,

    /// <summary>Ask for offset 0, then past every record read so far, until a page comes back empty.</summary>
    Offset,

    /// <summary>Follow the URL at <see cref="VerifyPaging.NextPath"/> in each body until it is missing, null or empty.</summary>
    NextLink,
}

/// <summary>How a verify stage reads a paged list: query parameters it sets, or a next link it follows.</summary>
/// <param name="Style">How the next page is found; it decides which of the other properties are used.</param>
public sealed record VerifyPaging(VerifyPagingStyle Style)
{
    /// <summary>The default page size asked for: 100 records.</summary>
    public const int DefaultSize = 100;

    /// <summary>The default: follow `Link: &lt;url&gt;; rel="next"` headers.</summary>
    public static VerifyPaging LinkHeader { get; } = new(VerifyPagingStyle.LinkHeader);

    /// <summary>The query parameter carrying the page number or the offset (`page`, `offset`).</summary>
    public string? Parameter { get; init; }

    /// <summary>The query parameter carrying the page size (`limit`); null sends none.</summary>
    public string? LimitParameter { get; init; }

    /// <summary>The page size asked for with <see cref="LimitParameter"/>.</summary>
    public int Size { get; init; } = DefaultSize;

    /// <summary>The number of the first page: 1, or 0 for APIs that count from zero.</summary>
    public int FirstPage { get; init; } = 1;

    /// <summary>A JSON path to the next page's URL in each body (`$.next`, `$.links.next`).</summary>
    public string? NextPath { get; init; }

    /// <summary>What makes this paging unusable, or null: the one rule for YAML and the C# builder.</summary>
    public string? Problem() => Style switch
    {
        VerifyPagingStyle.PageNumber or VerifyPagingStyle.Offset when string.IsNullOrWhiteSpace(Parameter) =>
            "paging needs the name of the query parameter that carries the page number or offset, e.g. page",
        VerifyPagingStyle.PageNumber or VerifyPagingStyle.Offset when LimitParameter is { } limit && string.IsNullOrWhiteSpace(limit) =>
            "paging's limit parameter name is empty; name it (e.g. limit or per_page)",
        VerifyPagingStyle.PageNumber or VerifyPagingStyle.Offset when Size < 1 => $"paging size must be at least 1, got {Size}",
        VerifyPagingStyle.PageNumber when FirstPage < 0 => $"paging firstPage must be 0 or more, got {FirstPage}",
        VerifyPagingStyle.NextLink when string.IsNullOrWhiteSpace(NextPath) => "paging needs the JSON path of the next page's URL, e.g. next: $.next",
        _ => null,
    };

    /// <summary>
    /// Page numbers in a query parameter: <c>?page=1&amp;limit=100</c>, then page 2, ... until a page comes back empty
    /// (or repeats the one before). A null <paramref name="limitParameter"/> sends no page size.
    /// </summary>
    public static VerifyPaging PageNumber(string parameter = "page", string? limitParameter = "limit", int size = DefaultSize, int firstPage = 1) =>
        new(VerifyPagingStyle.PageNumber) { Parameter = parameter, LimitParameter = limitParameter, Size = size, FirstPage = firstPage };

    /// <summary>
    /// Offsets in a query parameter: <c>?offset=0&amp;limit=100</c>, then past every record read so far, until a page
    /// comes back empty. A null <paramref name="limitParameter"/> sends no page size.
    /// </summary>
    public static VerifyPaging Offset(string parameter = "offset", string? limitParameter = "limit", int size = DefaultSize) =>
        new(VerifyPagingStyle.Offset) { Parameter = parameter, LimitParameter = limitParameter, Size = size };

    /// <summary>The next page's URL read from each body at the JSON path <paramref name="nextPath"/> (`$.next`), until it is missing or empty.</summary>
    public static VerifyPaging NextLink(string nextPath) => new(VerifyPagingStyle.NextLink) { NextPath = nextPath };
}
