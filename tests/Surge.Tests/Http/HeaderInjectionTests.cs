using System.Collections.Concurrent;
using System.Text;
using Surge.Data;
using Surge.Http;
using Surge.Plans;
using Surge.Results;
using Surge.Tests.Support;
using Surge.Thresholds;

namespace Surge.Tests.Http;

/// <summary>
/// Whatever a capture, a data record, env() or C# code puts into a request, nothing but the request the plan describes
/// reaches the wire. The raw server keeps every request exactly as its bytes arrived, so a smuggled second request
/// would show up there as a request of its own.
/// </summary>
public sealed class HeaderInjectionTests
{
    // A header value that, pasted onto the wire, ends the request and appends a whole second one.
    private const string Smuggling = "1\r\nContent-Length: 0\r\n\r\nDELETE /items/1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: 1";

    private static readonly byte[] TokenWithLineBreak = ScriptedServer.Ok("""{"token":"t\r\nInjected: 1"}""");

    private static ScriptedServer AnsweringServer() => ScriptedServer.Start(async connection =>
    {
        while (await connection.ReadRequestAsync() is { } request)
        {
            await connection.WriteAsync(Encoding.Latin1.GetString(request).StartsWith("GET /token ", StringComparison.Ordinal)
                ? TokenWithLineBreak
                : ScriptedServer.Ok("ok"));
        }
    });

    private static TestPlan OneVu(int iterations, IReadOnlyList<Step> steps, DataSourcePlan? data = null,
        IReadOnlyDictionary<string, string>? env = null) => new()
    {
        Scenarios =
        [
            new ScenarioPlan
            {
                Name = "inject",
                Executor = new PerVuIterationsExecutor(1, iterations, TimeSpan.FromMinutes(1)),
                Steps = steps,
                Data = data,
            },
        ],
        Env = env ?? new Dictionary<string, string>(),
    };

    private static RequestStep Get(Uri url, string name, params KeyValuePair<string, string>[] headers) =>
        new() { Method = "GET", Url = url.ToString().Replace("%7B", "{", StringComparison.Ordinal).Replace("%7D", "}", StringComparison.Ordinal), Name = name, Headers = headers };

    private static double Count(RunSummary summary, string key) => summary.Aggregate(MetricKey.Parse(key))?.Sum ?? 0;

    private static string[] RequestLines(ScriptedServer server) =>
        [.. server.Requests.Select(r => Encoding.Latin1.GetString(r).Split("\r\n")[0])];

    [Fact]
    public async Task A_captured_value_with_a_line_break_is_not_sent_and_the_summary_names_the_request_and_the_header()
    {
        await using var server = AnsweringServer();
        var plan = OneVu(3,
        [
            Get(server.Url("/token"), "login") with { Captures = [new CapturePlan("token", CaptureSource.JsonPath, "$.token")] },
            Get(server.Url("/me"), "me", KeyValuePair.Create("X-Token", "{{ token }}")),
        ]);

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(Enumerable.Repeat("GET /token HTTP/1.1", 3), RequestLines(server));
        Assert.DoesNotContain(server.Requests, r => Encoding.Latin1.GetString(r).Contains("Injected", StringComparison.Ordinal));
        Assert.Equal(6, Count(summary, "http_reqs"));
        Assert.Equal(3, Count(summary, "http_reqs{name:me,error_code:invalid_header}"));
        Assert.Equal(0, Count(summary, "data_sent{name:me}"));
        var warning = Assert.Single(summary.Warnings);
        Assert.Equal("scenario 'inject': 3 requests were not sent because they were malformed; the first: request 'me': "
            + "the value of header 'X-Token' contains a CR at offset 1 (invalid_header)", warning);
    }

    [Fact]
    public async Task A_data_record_with_a_line_break_is_not_sent_and_the_other_records_are()
    {
        await using var server = AnsweringServer();
        var tenants = DataTable.FromRows("tenants.csv", ["tenant"], [["a"], ["b\nInjected: 1"], ["c"], ["d\0"]]);
        var plan = OneVu(4, [Get(server.Url("/items"), "items", KeyValuePair.Create("X-Tenant", "{{ tenant }}"))], new DataSourcePlan("tenants", tenants));

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(["X-Tenant: a", "X-Tenant: c"], server.Requests.Select(r => Encoding.Latin1.GetString(r).Split("\r\n")[2]));
        Assert.Equal(4, Count(summary, "http_reqs"));
        Assert.Equal(2, Count(summary, "http_reqs{error_code:invalid_header}"));
        Assert.Equal(0.5, summary.Find("http_req_failed")!.Total.Stat("rate", summary.Duration));
    }

    [Fact]
    public async Task An_env_value_smuggling_a_second_request_onto_the_kept_alive_connection_is_refused()
    {
        await using var server = AnsweringServer();
        var plan = OneVu(5,
        [
            Get(server.Url("/items"), "tenant items", KeyValuePair.Create("X-Tenant", """{{ env("TENANT") }}""")),
            Get(server.Url("/hello"), "hello"),
        ], env: new Dictionary<string, string> { ["TENANT"] = Smuggling });

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(Enumerable.Repeat("GET /hello HTTP/1.1", 5), RequestLines(server));
        Assert.Equal(1, server.Accepts);
        Assert.Equal(10, Count(summary, "http_reqs"));
        Assert.Equal(5, Count(summary, "http_reqs{name:tenant items,error_code:invalid_header}"));
        Assert.Contains("request 'tenant items': the value of header 'X-Tenant' contains a CR at offset 1 (invalid_header)",
            Assert.Single(summary.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_templated_url_with_a_line_break_is_invalid_url_and_is_not_sent()
    {
        await using var server = AnsweringServer();
        var ids = DataTable.FromRows("ids.csv", ["id"], [["1"], ["2 HTTP/1.1\r\nX-Injected: 1\r\n\r\nDELETE /items/3"]]);
        var plan = OneVu(2, [Get(server.Url("/items/{{ id }}"), "item")], new DataSourcePlan("ids", ids));

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(["GET /items/1 HTTP/1.1"], RequestLines(server));
        Assert.Equal(1, Count(summary, "http_reqs{error_code:invalid_url}"));
    }

    [Fact]
    public async Task Csharp_default_headers_send_headers_methods_and_urls_with_line_breaks_are_refused_and_the_valid_request_goes()
    {
        await using var server = AnsweringServer();
        var errors = new ConcurrentQueue<string?>();

        var summary = await Load.Plan()
            .Scenario("code", s => s.PerVuIterations(vus: 1, iterations: 2).Run(async ctx =>
            {
                var injected = await ctx.Http.SendAsync("GET", server.Url("/a").ToString(), headers: [new("X-Id", Smuggling)], name: "header");
                errors.Enqueue(injected.Error);
                errors.Enqueue((await ctx.Http.SendAsync("GET /x HTTP/1.1\r\nX:", server.Url("/b").ToString(), name: "method")).Error);
                errors.Enqueue((await ctx.Http.GetAsync(server.Url("/c").ToString() + "\r\nX-Injected: 1", name: "url")).Error);
                errors.Enqueue((await ctx.Http.SendAsync("GET", server.Url("/d").ToString(), headers: [new("Bad Name", "v")], name: "name")).Error);
                ctx.Http.DefaultHeaders["Authorization"] = "Bearer t\r\nInjected: 1";
                errors.Enqueue((await ctx.Http.GetAsync(server.Url("/e").ToString(), name: "default")).Error);
                ctx.Http.DefaultHeaders.Clear();
                var fine = await ctx.Http.GetAsync(server.Url("/f").ToString(), name: "fine");
                errors.Enqueue(fine.Error);
                ctx.Check("the valid request got its answer", fine.Status == 200 && fine.Body == "ok");
                ctx.Check("a refused request has no status", injected.Status == 0 && injected.Failed);
            }))
            .Threshold("checks", "rate==1")
            .Build()
            .RunAsync();

        string?[] once = [NetworkError.InvalidHeader, NetworkError.InvalidMethod, NetworkError.InvalidUrl, NetworkError.InvalidHeader, NetworkError.InvalidHeader, null];
        Assert.Equal([.. once, .. once], errors);
        Assert.Equal(["GET /f HTTP/1.1", "GET /f HTTP/1.1"], RequestLines(server));
        Assert.True(summary.ThresholdsPassed);
        Assert.Equal(12, Count(summary, "http_reqs"));
        Assert.Equal(10, summary.Aggregate(MetricKey.Parse("http_req_failed"))!.Passes);
    }

    [Fact]
    public async Task Over_http2_a_header_with_a_line_break_is_refused_before_httpclient_sees_it()
    {
        await using var server = await CountingServer.StartAsync(http2Only: true);
        var plan = OneVu(3,
        [
            new RequestStep { Method = "GET", Url = server.Url("hello"), Name = "bad", HttpVersion = "2", Headers = [new("X-Tenant", """{{ env("TENANT") }}""")] },
            new RequestStep { Method = "GET", Url = server.Url("hello"), Name = "good", HttpVersion = "2" },
        ], env: new Dictionary<string, string> { ["TENANT"] = Smuggling });

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(3, server.Requests);
        Assert.Equal(6, Count(summary, "http_reqs"));
        Assert.Equal(3, Count(summary, "http_reqs{name:bad,proto:HTTP/2.0,error_code:invalid_header}"));
        Assert.Equal(3, Count(summary, "http_reqs{name:good,status:200}"));
    }

    [Theory]
    [InlineData("GET", "X-Ok", "value with\ttab, ünïcode and : colons", null)]
    [InlineData("GET", "X-Ok", "cr\rhere", NetworkError.InvalidHeader)]
    [InlineData("GET", "X-Ok", "lf\nhere", NetworkError.InvalidHeader)]
    [InlineData("GET", "X-Ok", "nul\0here", NetworkError.InvalidHeader)]
    [InlineData("GET", "Bad Name", "v", NetworkError.InvalidHeader)]
    [InlineData("GET", "Bad:Name", "v", NetworkError.InvalidHeader)]
    [InlineData("GET", "Bad\r\nName", "v", NetworkError.InvalidHeader)]
    [InlineData("GET", "", "v", NetworkError.InvalidHeader)]
    [InlineData("GET", "Ünï", "v", NetworkError.InvalidHeader)]
    [InlineData("PURGE", "X-Ok", "v", null)]
    [InlineData("G ET", "X-Ok", "v", NetworkError.InvalidMethod)]
    [InlineData("GET\n", "X-Ok", "v", NetworkError.InvalidMethod)]
    [InlineData("", "X-Ok", "v", NetworkError.InvalidMethod)]
    public void Methods_must_be_tokens_header_names_tokens_and_header_values_free_of_CR_LF_and_NUL(string method, string name, string value, string? error)
    {
        Assert.Equal(error, MalformedRequest.Find(method, "http://127.0.0.1/", [new(name, value)])?.Error);
    }

    [Fact]
    public void A_control_character_in_a_header_name_is_shown_escaped_so_the_message_stays_on_one_line()
    {
        var problem = MalformedRequest.Find("GET", "/", [new("X-\r\nInjected", "v")])!;

        Assert.Equal(@"the header name 'X-\x0d\x0aInjected' is not a token (letters, digits and !#$%&'*+-.^_`|~)", problem.Detail);
    }

    [Fact]
    public void Building_a_request_with_a_malformed_header_directly_throws_instead_of_serializing_it()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new HttpRequest("GET", new Uri("http://127.0.0.1/"), [new("X-A", "b\r\nc")], null, TimeSpan.FromSeconds(1)));

        Assert.StartsWith("the value of header 'X-A' contains a CR at offset 1 (invalid_header)", error.Message, StringComparison.Ordinal);
    }
}
