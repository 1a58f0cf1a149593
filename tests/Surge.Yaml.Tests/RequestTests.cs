using Surge.Plans;

namespace Surge.Yaml.Tests;

public sealed class RequestTests
{
    private static string WithRequest(string request, string options = "options:\n  baseUrl: http://127.0.0.1:5000\n") =>
        options + "requests:\n  - " + request.Replace("\n", "\n    ", StringComparison.Ordinal) + "\n";

    [Fact]
    public void A_minimal_request_gets_k6_defaults()
    {
        var request = Yaml.OnlyRequest(WithRequest("url: /items"));
        Assert.Equal("GET", request.Method);
        Assert.Equal("http://127.0.0.1:5000/items", request.Url);
        Assert.Null(request.Name);
        Assert.Null(request.Body);
        Assert.Empty(request.Headers);
        Assert.Empty(request.Tags);
        Assert.Same(StatusRanges.Default, request.ExpectedStatuses);
        Assert.Equal(TimeSpan.FromSeconds(60), request.Timeout);
        Assert.Equal(new SourceLocation(Yaml.File, 4, 5), request.Location);
    }

    [Fact]
    public void Every_request_option_is_read()
    {
        var request = Yaml.OnlyRequest(WithRequest(
            "name: login\nmethod: put\nurl: /login?x=1\nheaders: { Accept: text/plain, X-Id: 42 }\nbody: raw text\ntimeout: 10s\ntags: { k: v }"));
        Assert.Equal("login", request.Name);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("http://127.0.0.1:5000/login?x=1", request.Url);
        Assert.Equal([new("Accept", "text/plain"), new("X-Id", "42")], request.Headers);
        Assert.Equal("raw text", request.Body);
        Assert.Equal(TimeSpan.FromSeconds(10), request.Timeout);
        Assert.Equal(new Dictionary<string, string> { ["k"] = "v" }, request.Tags);
    }

    [Theory]
    [InlineData("", "1.1")]
    [InlineData("\nhttpVersion: \"2\"", "2")]
    [InlineData("\nhttpVersion: 1.1", "1.1")]
    public void Requests_use_http_1_1_unless_they_ask_for_http_2(string option, string expected)
    {
        Assert.Equal(expected, Yaml.OnlyRequest(WithRequest("url: /items" + option)).HttpVersion);
    }

    [Fact]
    public void An_unknown_http_version_is_an_error_at_its_value()
    {
        var error = Yaml.ErrorAt(WithRequest("url: /items\nhttpVersion: 3"), 5, 18);
        Assert.StartsWith("unknown httpVersion '3'", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5000", "/items", "http://127.0.0.1:5000/items")]
    [InlineData("http://127.0.0.1:5000/", "/items", "http://127.0.0.1:5000/items")]
    [InlineData("http://127.0.0.1:5000/api", "/items", "http://127.0.0.1:5000/api/items")]
    [InlineData("http://127.0.0.1:5000", "https://127.0.0.1:7000/x", "https://127.0.0.1:7000/x")]
    public void Relative_urls_resolve_against_base_url_and_absolute_ones_stay(string baseUrl, string url, string expected)
    {
        var request = Yaml.OnlyRequest(WithRequest($"url: {url}", $"options:\n  baseUrl: {baseUrl}\n"));
        Assert.Equal(expected, request.Url);
    }

    [Fact]
    public void The_settings_base_url_overrides_the_file()
    {
        var plan = Yaml.Load(WithRequest("url: /items"), new YamlLoadSettings("http://127.0.0.1:9999"));
        Assert.Equal("http://127.0.0.1:9999/items", Assert.IsType<RequestStep>(plan.Scenarios[0].Steps[0]).Url);
    }

    [Fact]
    public void The_settings_base_url_serves_a_file_without_one()
    {
        var plan = Yaml.Load(WithRequest("url: /items", options: ""), new YamlLoadSettings("http://127.0.0.1:9999/"));
        Assert.Equal("http://127.0.0.1:9999/items", Assert.IsType<RequestStep>(plan.Scenarios[0].Steps[0]).Url);
    }

    [Fact]
    public void An_invalid_settings_base_url_is_rejected()
    {
        var error = Yaml.Error(WithRequest("url: /items"), new YamlLoadSettings("localhost:5000"));
        Assert.Contains("base URL 'localhost:5000' (--base-url) must be an absolute http or https URL", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_json_body_keeps_yaml_types_and_sets_content_type()
    {
        var request = Yaml.OnlyRequest(WithRequest("""
            method: POST
            url: /orders
            json:
              itemId: 1
              price: 2.50
              big: 12345678901234567890
              plus: +7
              half: .5
              ok: true
              off: False
              none: null
              tilde: ~
              empty:
              quotedNumber: "1"
              quotedBool: 'true'
              text: hello "world" <ünïcode>
              version: 1.2.3
              tagged: !!str 5
              list: [1, two, { three: 3 }]
            """));
        Assert.Equal(
            """{"itemId":1,"price":2.50,"big":12345678901234567890,"plus":7,"half":0.5,"ok":true,"off":false,"none":null,"tilde":null,"empty":null,"quotedNumber":"1","quotedBool":"true","text":"hello \"world\" <ünïcode>","version":"1.2.3","tagged":"5","list":[1,"two",{"three":3}]}""",
            request.Body);
        Assert.Equal([new("Content-Type", "application/json")], request.Headers);
    }

    [Fact]
    public void A_json_body_keeps_a_content_type_the_user_set()
    {
        var request = Yaml.OnlyRequest(WithRequest("method: POST\nurl: /orders\nheaders: { content-type: application/vnd.api+json }\njson: [1, 2]"));
        Assert.Equal("[1,2]", request.Body);
        Assert.Equal([new("content-type", "application/vnd.api+json")], request.Headers);
    }

    [Fact]
    public void A_json_body_repeats_aliased_values()
    {
        var request = Yaml.OnlyRequest(WithRequest("method: POST\nurl: /x\njson: { a: &item { b: 1 }, c: *item }"));
        Assert.Equal("""{"a":{"b":1},"c":{"b":1}}""", request.Body);
    }

    [Fact]
    public void A_json_body_that_contains_itself_is_rejected()
    {
        var error = Yaml.ErrorAt(WithRequest("method: POST\nurl: /x\njson: &loop [1, *loop]"), 6, 11);
        Assert.Equal("json contains itself through an alias; JSON cannot hold a cycle", error.Reason);
    }

    [Fact]
    public void A_multi_line_body_is_kept_verbatim()
    {
        var request = Yaml.OnlyRequest(WithRequest("method: POST\nurl: /raw\nbody: |\n  line one\n  line two"));
        Assert.Equal("line one\nline two\n", request.Body);
    }

    [Fact]
    public void Expected_statuses_combine_codes_and_ranges()
    {
        var request = Yaml.OnlyRequest(WithRequest("url: /x\nexpectedStatuses: [200, 201, \"300-399\", 404]"));
        Assert.Equal([(200, 200), (201, 201), (300, 399), (404, 404)], request.ExpectedStatuses.Ranges);
        Assert.True(request.ExpectedStatuses.Contains(350));
        Assert.False(request.ExpectedStatuses.Contains(202));
    }

    [Theory]
    [InlineData("[99]")]
    [InlineData("[600]")]
    [InlineData("[\"399-300\"]")]
    [InlineData("[\"200-300-400\"]")]
    [InlineData("[ok]")]
    public void Invalid_expected_statuses_are_rejected(string statuses)
    {
        var error = Yaml.Error(WithRequest($"url: /x\nexpectedStatuses: {statuses}"));
        Assert.Contains("is not a status or a range", error.Reason, StringComparison.Ordinal);
        Assert.Equal(5, error.Location!.Line);
    }

    [Fact]
    public void Body_and_json_together_are_rejected_at_the_second()
    {
        var error = Yaml.ErrorAt(WithRequest("url: /x\nbody: a\njson: { a: 1 }"), 6, 5);
        Assert.Equal("a request takes either body (raw text) or json, not both", error.Reason);
    }

    [Fact]
    public void An_unknown_method_is_rejected_with_a_suggestion()
    {
        var error = Yaml.ErrorAt(WithRequest("url: /x\nmethod: GTE"), 5, 13);
        Assert.Equal("unknown method 'GTE'; did you mean 'GET'? Allowed: GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS", error.Reason);
    }

    [Theory]
    [InlineData("url: items")]
    [InlineData("url: ftp://127.0.0.1/x")]
    public void A_url_that_is_neither_absolute_http_nor_a_path_is_rejected(string request)
    {
        var error = Yaml.ErrorAt(WithRequest(request), 4, 10);
        Assert.Contains("must be an absolute http(s) URL or a path starting with '/'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_without_url_is_rejected_at_the_request()
    {
        var error = Yaml.ErrorAt(WithRequest("method: GET"), 4, 5);
        Assert.StartsWith("a request is missing 'url'", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_header_name_is_rejected()
    {
        var error = Yaml.ErrorAt(WithRequest("url: /x\nheaders: { \"Bad Name\": v }"), 5, 16);
        Assert.StartsWith("'Bad Name' is not a valid header name", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_request_list_is_rejected()
    {
        var error = Yaml.ErrorAt("requests: []\n", 1, 1);
        Assert.StartsWith("requests is empty", error.Reason, StringComparison.Ordinal);
    }
}
