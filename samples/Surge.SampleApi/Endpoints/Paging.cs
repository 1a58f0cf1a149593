using System.Diagnostics.CodeAnalysis;
using static System.FormattableString;

namespace Surge.SampleApi.Endpoints;

/// <summary>
/// Page-number paging for list endpoints, as json-server and GitHub do it: `?page=2&amp;limit=50` returns records 51 to
/// 100 as a plain JSON array, and a `Link: &lt;/orders?page=3&amp;limit=50&gt;; rel="next"` header while more follow.
/// </summary>
internal readonly record struct Paging(int Page, int Limit)
{
    public const int MaxLimit = 1000;
    private const int MaxPage = 1_000_000;

    /// <summary>How many records to skip; within int because page and limit are bounded.</summary>
    public int Offset => (Page - 1) * Limit;

    /// <summary>One more than a page, so that the handler learns whether another page follows without counting.</summary>
    public int LimitPlusOne => Limit + 1;

    public static bool TryRead(int? page, int? limit, int defaultLimit, out Paging paging, [NotNullWhen(false)] out IResult? error)
    {
        paging = new Paging(page ?? 1, limit ?? defaultLimit);
        error = limit is < 1 or > MaxLimit ? Api.BadRequest(Invariant($"limit must be between 1 and {MaxLimit}"))
            : page is < 1 or > MaxPage ? Api.BadRequest(Invariant($"page must be between 1 and {MaxPage}"))
            : null;
        return error is null;
    }

    /// <summary>The page itself, with a Link rel="next" header when the store returned more than a page.</summary>
    public IReadOnlyList<T> Respond<T>(HttpContext context, IReadOnlyList<T> rowsPlusOne)
    {
        if (rowsPlusOne.Count <= Limit)
        {
            return rowsPlusOne;
        }

        context.Response.Headers.Link = Invariant($"<{context.Request.PathBase}{context.Request.Path}?page={Page + 1}&limit={Limit}>; rel=\"next\"");
        return [.. rowsPlusOne.Take(Limit)];
    }
}
