using Surge.Metrics;
using Surge.Results;
using Surge.SampleApi;
using Surge.Thresholds;
using Surge.Yaml;

namespace Surge.Cli.Tests;

/// <summary>
/// Cookies and redirects as a k6 or Locust user expects them, run from YAML against the sample API in process. The
/// server's per-route counts are the ground truth for what was sent; http_reqs by tag for what was recorded.
/// </summary>
public sealed class CookieAndRedirectTests : IAsyncLifetime
{
    private SampleApiHost _api = null!;

    public async Task InitializeAsync() => _api = await SampleApiHost.StartAsync(new SampleApiOptions());

    public async Task DisposeAsync() => await _api.DisposeAsync();

    // One VU running `iterations` iterations of the steps, so that every count is exact.
    // `{Login}` in the steps stands for the login request.
    private async Task<RunSummary> RunAsync(string steps, int iterations = 1, string options = "")
    {
        steps = steps.Replace("{Login}", Login, StringComparison.Ordinal);
        var yaml = $"""
            options:
              baseUrl: {_api.BaseAddress}
            {options}
            scenarios:
              browse:
                executor: per-vu-iterations
                vus: 1
                iterations: {iterations}
                requests:
            {string.Join('\n', steps.Split('\n').Select(line => "      " + line))}
            """;
        return await YamlPlanLoader.Parse(yaml, "cookies.yaml").RunAsync();
    }

    // A counter's sum, a rate's passes, a trend's sample count, over the series with these tags.
    internal static long Count(RunSummary summary, string metric, params (string Key, string Value)[] tags)
    {
        var values = summary.Aggregate(new MetricKey(metric, TagSet.From(tags.Select(t => new KeyValuePair<string, string>(t.Key, t.Value)))));
        return values?.Kind switch
        {
            null => 0,
            MetricKind.Trend => values.Histogram!.TotalCount,
            MetricKind.Rate => values.Passes,
            _ => (long)values.Sum,
        };
    }

    private static long ChecksFailed(RunSummary summary) =>
        summary.Aggregate(new MetricKey("checks", TagSet.Empty)) is { } checks ? checks.Samples - checks.Passes : 0;

    private const string Login = """
        - post: /session
          json: { username: ada, password: secret }
        """;

    [Fact]
    public async Task A_login_cookie_keeps_the_session_for_the_next_request_and_is_gone_in_the_next_iteration()
    {
        var summary = await RunAsync("""
            - get: /session
              name: before login
              expectedStatuses: [401]
              checks: [{ status: 401 }]
            {Login}
            - get: /session
              name: after login
              checks: [{ status: 200 }, { jsonPath: $.username, equals: ada }]
            """, iterations: 3);

        // Each iteration starts without the cookie (401 before login) and has it after login (200 with the user).
        Assert.Equal(6, _api.RequestsTo("GET", "/session"));
        Assert.Equal(3, _api.RequestsTo("POST", "/session"));
        Assert.Equal(3, Count(summary, "http_reqs", ("name", "before login"), ("status", "401")));
        Assert.Equal(3, Count(summary, "http_reqs", ("name", "after login"), ("status", "200")));
        Assert.Equal(0, ChecksFailed(summary));
    }

    [Fact]
    public async Task With_the_jar_off_no_cookie_is_sent_after_a_login()
    {
        var summary = await RunAsync("""
            {Login}
            - get: /session
              expectedStatuses: [401]
            - get: /echo
              checks: [{ jsonPath: $.cookie, equals: "" }]
            """, iterations: 2, options: "  cookieJar: false");

        Assert.Equal(2, _api.RequestsTo("GET", "/session"));
        Assert.Equal(2, Count(summary, "http_reqs", ("method", "GET"), ("status", "401")));
        Assert.Equal(0, ChecksFailed(summary));
    }

    [Fact]
    public async Task A_per_request_cookie_is_sent_and_jar_cookies_go_beside_it()
    {
        var summary = await RunAsync("""
            - get: /echo
              name: alone
              cookies: { theme: dark }
              checks: [{ jsonPath: $.cookie, equals: theme=dark }]
            {Login}
            - get: /echo
              name: with the session
              cookies: { theme: "v{{ randomInt(7, 7) }}" }
              checks:
                - { bodyMatches: '"cookie":"theme=v7; session=[^";]+"' }
            - get: /echo
              name: jar only
              checks:
                - { bodyMatches: '"cookie":"session=[^";]+"' }
            """, iterations: 2);

        Assert.Equal(6, _api.RequestsTo("GET", "/echo"));
        Assert.Equal(6, summary.Aggregate(new MetricKey("checks", TagSet.Empty))!.Samples);
        Assert.Equal(0, ChecksFailed(summary));
    }

    [Fact]
    public async Task A_302_to_the_item_page_is_followed_and_recorded_as_two_requests()
    {
        var summary = await RunAsync("""
            - get: /go/items/2
              name: item by short link
              checks: [{ status: 200 }, { jsonPath: $.id, equals: "2" }]
            """);

        var itemUrl = new Uri(_api.BaseAddress, "/items/2").AbsoluteUri;
        Assert.Equal(1, _api.RequestsTo("GET", "/go/items/{id}"));
        Assert.Equal(1, _api.RequestsTo("GET", "/items/{id}"));
        Assert.Equal(2, Count(summary, "http_reqs"));
        // The hop keeps the step's name and carries its own URL, as in k6; checks judged the final response.
        Assert.Equal(1, Count(summary, "http_reqs", ("name", "item by short link"), ("url", "item by short link"), ("status", "302")));
        Assert.Equal(1, Count(summary, "http_reqs", ("name", "item by short link"), ("url", itemUrl), ("status", "200")));
        Assert.Equal(2, Count(summary, "http_req_duration"));
        Assert.Equal(0, ChecksFailed(summary));
        Assert.Equal(2, summary.Aggregate(new MetricKey("checks", TagSet.Empty))!.Samples);
    }

    [Fact]
    public async Task With_max_redirects_0_the_302_is_returned_as_it_is()
    {
        var summary = await RunAsync("""
            - get: /go/items/2
              checks: [{ status: 302 }, { header: Location, equals: /items/2 }]
            """, options: "  maxRedirects: 0");

        Assert.Equal(1, _api.RequestsTo("GET", "/go/items/{id}"));
        Assert.Equal(0, _api.RequestsTo("GET", "/items/{id}"));
        Assert.Equal(1, Count(summary, "http_reqs", ("status", "302")));
        Assert.Equal(0, ChecksFailed(summary));
    }

    [Fact]
    public async Task A_303_after_a_post_becomes_a_get_without_the_body()
    {
        var summary = await RunAsync("""
            - post: /redirect/303?to=/echo
              body: hello
              checks: [{ jsonPath: $.method, equals: GET }, { jsonPath: $.body, equals: "" }]
            """);

        Assert.Equal(1, _api.RequestsTo("POST", "/redirect/{code}"));
        Assert.Equal(1, _api.RequestsTo("GET", "/echo"));
        Assert.Equal(0, _api.RequestsTo("POST", "/echo"));
        Assert.Equal(1, Count(summary, "http_reqs", ("method", "POST"), ("status", "303")));
        Assert.Equal(1, Count(summary, "http_reqs", ("method", "GET"), ("status", "200")));
        Assert.Equal(0, ChecksFailed(summary));
    }

    [Theory]
    [InlineData(307)]
    [InlineData(308)]
    public async Task A_307_or_308_keeps_the_post_and_its_body(int status)
    {
        var summary = await RunAsync($$"""
            - post: /redirect/{{status}}?to=/echo
              body: hello
              checks: [{ jsonPath: $.method, equals: POST }, { jsonPath: $.body, equals: hello }]
            """);

        Assert.Equal(1, _api.RequestsTo("POST", "/echo"));
        Assert.Equal(2, Count(summary, "http_reqs", ("method", "POST")));
        Assert.Equal(0, ChecksFailed(summary));
    }

    [Fact]
    public async Task A_cookie_set_by_a_redirect_goes_with_the_next_hop()
    {
        var summary = await RunAsync("""
            - post: /session?then=/session
              json: { username: ada, password: secret }
              checks: [{ status: 200 }, { jsonPath: $.username, equals: ada }]
            """);

        Assert.Equal(1, _api.RequestsTo("POST", "/session"));
        Assert.Equal(1, _api.RequestsTo("GET", "/session"));
        Assert.Equal(1, Count(summary, "http_reqs", ("status", "303")));
        Assert.Equal(0, ChecksFailed(summary));
    }

    [Fact]
    public async Task A_redirect_loop_stops_after_max_redirects_with_too_many_redirects()
    {
        var summary = await RunAsync("""
            - get: /redirect/loop
              maxRedirects: 3
            """, iterations: 2);

        // The first request and 3 redirects followed, per iteration; the fourth 302 ends the chain as an error.
        Assert.Equal(8, _api.RequestsTo("GET", "/redirect/loop"));
        Assert.Equal(8, Count(summary, "http_reqs"));
        Assert.Equal(2, Count(summary, "http_reqs", ("error_code", "too_many_redirects")));
        Assert.Equal(2, Count(summary, "http_req_failed"));
    }

    [Fact]
    public async Task The_default_follows_ten_redirects_as_k6_does()
    {
        var summary = await RunAsync("""
            - get: /redirect/loop
            """);

        Assert.Equal(11, _api.RequestsTo("GET", "/redirect/loop"));
        Assert.Equal(1, Count(summary, "http_reqs", ("error_code", "too_many_redirects")));
    }

    [Fact]
    public async Task A_csharp_step_shares_the_vus_jar_and_follows_redirects_too()
    {
        var cookies = new System.Collections.Concurrent.ConcurrentBag<string>();
        var summary = await Load.Plan()
            .BaseUrl(_api.BaseAddress.ToString())
            .Scenario("code", s => s.Iterations(vus: 1, iterations: 2).Run(async ctx =>
            {
                await ctx.Http.PostAsync("/session", """{"username": "ada", "password": "secret"}""", name: "login");
                cookies.Add(string.Join(",", ctx.Http.Cookies!.CookiesFor(new Uri(_api.BaseAddress, "/session")).Select(c => c.Key)));
                var session = await ctx.Http.GetAsync("/session", name: "session");
                var item = await ctx.Http.GetAsync("/go/items/3", name: "item");
                ctx.Check("the session cookie was sent", session.Status == 200 && session.Json("$.username") == "ada");
                ctx.Check("the redirect was followed", item.Status == 200 && item.Json("$.id") == "3");
            }))
            .Build()
            .RunAsync();

        Assert.Equal(["session", "session"], cookies);
        Assert.Equal(2, _api.RequestsTo("GET", "/session"));
        Assert.Equal(2, _api.RequestsTo("GET", "/go/items/{id}"));
        Assert.Equal(2, _api.RequestsTo("GET", "/items/{id}"));
        Assert.Equal(8, Count(summary, "http_reqs"));
        Assert.Equal(2, Count(summary, "http_reqs", ("name", "item"), ("status", "302")));
        Assert.Equal(0, ChecksFailed(summary));
    }

    [Fact]
    public async Task A_bad_max_redirects_exits_104_naming_its_place_before_any_request()
    {
        var file = SurgeProcess.WriteTestFile($"options:\n  baseUrl: {_api.BaseAddress}\nrequests:\n  - get: /go/items/1\n    maxRedirects: lots\n");

        var run = await SurgeProcess.RunAsync("run", file);

        Assert.Equal(104, run.ExitCode);
        Assert.Contains($"{file}:5:19: maxRedirects must be a whole number", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, _api.RequestCount);
    }
}
