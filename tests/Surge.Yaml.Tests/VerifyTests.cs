using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class VerifyTests
{
    private const string Load = "options: { baseUrl: http://127.0.0.1:5000 }\nrequests: [ { get: /items } ]\n";

    private static VerifyPlan OnlyVerify(string verify) => Assert.Single(Yaml.Load("verify:\n" + verify + Load).Verify);

    [Fact]
    public void Without_paging_a_verify_stage_follows_link_headers_and_reads_the_body_as_the_array()
    {
        var verify = OnlyVerify("  - { ledger: orders, get: /orders }\n");

        Assert.Equal(VerifyPaging.LinkHeader, verify.Paging);
        Assert.Null(verify.RecordsPath);
        Assert.Equal("id", verify.IdField);
    }

    [Fact]
    public void Page_number_paging_reads_its_parameter_names_size_and_first_page()
    {
        var verify = OnlyVerify("  - { ledger: orders, get: /orders, paging: { page: p, limit: per_page, size: 500, firstPage: 0 } }\n");

        Assert.Equal(VerifyPaging.PageNumber("p", "per_page", 500, 0), verify.Paging);
    }

    [Fact]
    public void Page_number_paging_defaults_to_a_limit_parameter_of_100_from_page_1()
    {
        var verify = OnlyVerify("  - { ledger: orders, get: /orders, paging: { page: page } }\n");

        Assert.Equal(VerifyPaging.PageNumber("page", "limit", 100, 1), verify.Paging);
    }

    [Fact]
    public void Offset_paging_and_a_next_link_in_a_wrapped_body_are_read()
    {
        var plan = Yaml.Load("""
            verify:
              - { ledger: a, get: /a, paging: { offset: skip, limit: take, size: 50 } }
              - { ledger: b, get: /b, records: $.data, paging: { next: $.links.next } }

            """ + Load);

        Assert.Equal(VerifyPaging.Offset("skip", "take", 50), plan.Verify[0].Paging);
        Assert.Equal(VerifyPaging.NextLink("$.links.next"), plan.Verify[1].Paging);
        Assert.Equal("$.data", plan.Verify[1].RecordsPath);
    }

    [Theory]
    [InlineData("{ size: 10 }", 3, 45, "paging takes exactly one of page, offset or next")]
    [InlineData("{ page: page, next: $.next }", 3, 59, "paging takes exactly one of page, offset or next")]
    [InlineData("{ page: page, size: 0 }", 3, 65, "size must be at least 1, got 0")]
    [InlineData("{ next: $.next, size: 10 }", 3, 61, "unknown key 'size' in paging")]
    [InlineData("{ offset: offset, firstPage: 0 }", 3, 63, "unknown key 'firstPage' in paging")]
    [InlineData("{ page: '' }", 3, 45, "paging needs the name of the query parameter that carries the page number or offset, e.g. page")]
    [InlineData("{ next: '$.a[' }", 3, 57, "'$.a[': '[' is never closed")]
    public void A_bad_paging_is_an_error_at_its_place(string paging, int line, int column, string message)
    {
        var error = Yaml.ErrorAt($"options: {{ baseUrl: http://127.0.0.1:5000 }}\nverify:\n  - {{ ledger: orders, get: /orders, paging: {paging} }}\nrequests: [ {{ get: /items }} ]\n", line, column);

        Assert.StartsWith(message, error.Reason, StringComparison.Ordinal);
    }
}
