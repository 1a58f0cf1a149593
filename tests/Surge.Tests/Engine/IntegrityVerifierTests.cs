using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Surge.Engine;
using Surge.Plans;
using Surge.Results;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Surge.Tests.Engine;

/// <summary>
/// The verify stage against lists longer than a page, paged in each way APIs page them, by a server that holds 250
/// records with ids 1 to 250 and serves at most 40 per response.
/// </summary>
public sealed class IntegrityVerifierTests : IAsyncLifetime
{
    private const int Records = 250;
    private const int ServerMaxPage = 40;

    private static readonly string[] AllIds = [.. Enumerable.Range(1, Records).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    private WebApplication _server = null!;
    private HttpOptions _http = null!;
    private int _requests;

    public static TheoryData<string, VerifyPaging, string?> PagedLists => new()
    {
        { "/numbered", VerifyPaging.PageNumber(), null },
        { "/numbered?status=open", VerifyPaging.PageNumber(size: 25), null },
        { "/from-zero", VerifyPaging.PageNumber("p", "size", 30, firstPage: 0), null },
        { "/offset", VerifyPaging.Offset("skip", "take", 40), null },
        { "/django", VerifyPaging.PageNumber(size: 50), null },
        { "/clamped", VerifyPaging.PageNumber(), null },
        { "/linked", VerifyPaging.LinkHeader, null },
        { "/wrapped", VerifyPaging.NextLink("$.links.next"), "$.data" },
    };

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _server = builder.Build();
        _server.Use((context, next) =>
        {
            Interlocked.Increment(ref _requests);
            return next(context);
        });
        // Page numbers from 1; asking for more than the server's maximum gets its maximum.
        _server.MapGet("/numbered", (int page, int limit) => Records1Based(page, limit));
        _server.MapGet("/from-zero", (int p, int size) => Slice(p * Math.Min(size, ServerMaxPage), size));
        _server.MapGet("/offset", (int skip, int take) => Slice(skip, take));
        // Django REST framework answers a page past the last with 404.
        _server.MapGet("/django", (int page, int limit) => (page - 1) * Math.Min(limit, ServerMaxPage) >= Records
            ? HttpResults.NotFound()
            : Records1Based(page, limit));
        _server.MapGet("/linked", (HttpContext context, int? page) =>
        {
            var current = page ?? 1;
            if (current * ServerMaxPage < Records)
            {
                context.Response.Headers.Link = $"</linked?page=1>; rel=\"first\", </linked?page={current + 1}>; rel=\"next\"";
            }
            return Records1Based(current, ServerMaxPage);
        });
        _server.MapGet("/wrapped", (HttpContext context, int? after) =>
        {
            var from = after ?? 0;
            var next = from + ServerMaxPage < Records ? $"http://{context.Request.Host}/wrapped?after={from + ServerMaxPage}" : null;
            return HttpResults.Json(new { data = Page(from, ServerMaxPage), links = new { next } });
        });
        // Some APIs answer every page past the last with the last page.
        _server.MapGet("/clamped", (int page, int limit) => Records1Based(Math.Min(page, (Records + ServerMaxPage - 1) / ServerMaxPage), limit));
        _server.MapGet("/ignores-paging", () => Slice(0, ServerMaxPage));
        _server.MapGet("/circle", (HttpContext context) =>
        {
            context.Response.Headers.Link = "</circle>; rel=\"next\"";
            return Slice(0, 10);
        });
        await _server.StartAsync();
        _http = new HttpOptions { BaseAddress = new Uri(_server.Urls.First()) };
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [MemberData(nameof(PagedLists))]
    public async Task Every_record_of_a_paged_list_is_read_exactly_once(string url, VerifyPaging paging, string? records)
    {
        var result = await VerifyAsync(url, paging, AllIds, records);

        Assert.True(result.Passed, result.ToString());
        Assert.Equal((Records, Records, 0), (result.Acknowledged, result.OnServer, result.DuplicatesOnServer));
    }

    [Fact]
    public async Task Page_number_paging_asks_until_a_page_comes_back_empty()
    {
        await VerifyAsync("/numbered", VerifyPaging.PageNumber(size: 50), AllIds);

        // 250 records in pages of 40 (the server's cap) are 7 pages; the eighth, empty, ends the list.
        Assert.Equal(8, _requests);
    }

    [Fact]
    public async Task A_write_the_server_lost_on_a_later_page_is_counted_missing()
    {
        string[] acknowledged = [.. AllIds, "251", "252"];

        var result = await VerifyAsync("/linked", VerifyPaging.LinkHeader, acknowledged);

        Assert.Equal((252, 250, 2), (result.Acknowledged, result.OnServer, result.Missing));
        Assert.False(result.Passed);
    }

    [Fact]
    public async Task A_server_that_ignores_the_page_parameter_fails_the_stage_instead_of_looping()
    {
        var result = await VerifyAsync("/ignores-paging", VerifyPaging.PageNumber(), AllIds);

        Assert.Equal(2, _requests);
        Assert.EndsWith("(page 2) repeated page 1: does the server read the 'page' query parameter?", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_links_that_go_round_in_a_circle_fail_the_stage()
    {
        var result = await VerifyAsync("/circle", VerifyPaging.LinkHeader, AllIds);

        Assert.EndsWith("/circle as the next page, which was read before: the pages go round in a circle", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrapped_list_without_a_records_path_is_an_error_that_suggests_one()
    {
        var result = await VerifyAsync("/wrapped", VerifyPaging.NextLink("$.links.next"), AllIds);

        Assert.EndsWith("returned a JSON object, not an array of records; if the records are in one of its fields, name it, e.g. records: $.items",
            result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<https://api.example/items?page=2>; rel=\"next\"", "https://api.example/items?page=2")]
    [InlineData("</a?page=1>; rel=\"prev\", </a?page=3>; rel=\"next\", </a?page=9>; rel=\"last\"", "/a?page=3")]
    [InlineData("</a?x=1,2>; rel=\"next last\"", "/a?x=1,2")]
    [InlineData("</a?page=2>; title=\"next\"; REL=Next", "/a?page=2")]
    [InlineData("</a?page=1>; rel=\"prev\"", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void The_next_link_is_found_among_the_links_of_a_link_header(string? header, string? next) =>
        Assert.Equal(next, IntegrityVerifier.NextFromLinkHeader(header));

    private async Task<IntegrityResult> VerifyAsync(string url, VerifyPaging paging, string[] acknowledged, string? records = null)
    {
        var plan = new VerifyPlan("orders", new RequestStep { Method = "GET", Url = url }, "id") { Paging = paging, RecordsPath = records };
        return await IntegrityVerifier.VerifyAsync(plan, acknowledged, _http, CancellationToken.None);
    }

    private static IResult Records1Based(int page, int limit) => Slice((page - 1) * Math.Min(limit, ServerMaxPage), limit);

    private static IResult Slice(int from, int count) => HttpResults.Json(Page(from, count));

    private static IEnumerable<object> Page(int from, int count) =>
        Enumerable.Range(from + 1, Math.Max(0, Math.Min(Math.Min(count, ServerMaxPage), Records - from))).Select(id => new { id });
}
