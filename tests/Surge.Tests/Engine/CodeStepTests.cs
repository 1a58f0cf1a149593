using System.Collections.Concurrent;
using Surge.Data;
using Surge.Metrics;
using Surge.Plans;
using Surge.Thresholds;
using Surge.Tests.Support;

namespace Surge.Tests.Engine;

public sealed class CodeStepTests
{
    [Fact]
    public async Task A_csharp_step_logs_in_sends_the_token_and_its_requests_checks_and_custom_metrics_are_all_counted()
    {
        await using var server = await CountingServer.StartAsync();

        var summary = await Load.Plan()
            .BaseUrl(server.BaseAddress.ToString())
            .Rate("login_success")
            .Trend("login_time")
            .Counter("logins")
            .Scenario("journey", s => s.Iterations(vus: 4, iterations: 40).Run(async ctx =>
            {
                var login = await ctx.Http.GetAsync("/token", name: "login");
                ctx.Rate("login_success", login.Status == 200);
                ctx.Trend("login_time", login.Duration);
                ctx.Count("logins");
                ctx.Http.DefaultHeaders["Authorization"] = $"Bearer {login.Json("$.token")}";
                var me = await ctx.Http.GetAsync("/me", name: "me");
                ctx.Check("the token was sent back", me.Body == "Bearer t-123");
            }))
            .Threshold("login_success", "rate==1")
            .Threshold("logins", "count==40")
            .Threshold("checks", "rate==1")
            .Threshold("http_reqs{name:me}", "count==40")
            .Build()
            .RunAsync();

        Assert.Empty(summary.Warnings);
        Assert.True(summary.ThresholdsPassed, string.Join("; ", summary.Thresholds.Select(t => $"{t.Key} {t.Expression.Text}: {t.Observed}")));
        Assert.Equal(80, server.Requests);
        Assert.Equal(80, summary.Aggregate(new MetricKey("http_reqs", TagSet.Empty))!.Sum);
        Assert.Equal(40, summary.Aggregate(new MetricKey("login_time", TagSet.Empty))!.Histogram!.TotalCount);
        Assert.Equal(40, summary.Scenarios.Single().CompletedIterations);
    }

    [Fact]
    public async Task An_exception_in_a_csharp_step_fails_only_its_iteration_and_the_warning_says_where_it_was_thrown()
    {
        await using var server = await CountingServer.StartAsync();
        var calls = 0;

        var summary = await Load.Plan()
            .Scenario("flaky", s => s.Iterations(vus: 1, iterations: 30).Run(async ctx =>
            {
                await ctx.Http.GetAsync(server.Url("hello"), name: "hello");
                if (++calls % 3 == 0)
                {
                    throw new InvalidOperationException("every third call fails");
                }
            }))
            .Build()
            .RunAsync();

        Assert.Equal(30, server.Requests);
        Assert.Equal(20, summary.Scenarios.Single().CompletedIterations);
        var warning = Assert.Single(summary.Warnings);
        Assert.Contains("10 iterations failed", warning, StringComparison.Ordinal);
        Assert.Matches(@"InvalidOperationException: every third call fails \(at CodeStepTests\.cs:\d+\)", warning);
    }

    [Fact]
    public async Task What_setup_sets_every_vu_reads_and_teardown_runs_once_after_the_load_neither_counted_as_iterations()
    {
        await using var server = await CountingServer.StartAsync();
        var seen = new ConcurrentBag<string>();
        var teardowns = 0;

        var summary = await Load.Plan()
            .BaseUrl(server.BaseAddress.ToString())
            .Setup(async ctx => ctx.Vars["token"] = (await ctx.Http.GetAsync("/token")).Json("$.token")!)
            .Scenario("users", s => s.PerVuIterations(vus: 3, iterations: 2).Run(ctx =>
            {
                seen.Add(ctx.Vars["token"]);
                return Task.CompletedTask;
            }))
            .Teardown(ctx =>
            {
                Interlocked.Increment(ref teardowns);
                return Task.CompletedTask;
            })
            .Build()
            .RunAsync();

        Assert.Empty(summary.Warnings);
        Assert.Equal(Enumerable.Repeat("t-123", 6), seen);
        Assert.Equal(1, teardowns);
        Assert.Equal(6, summary.Find("iterations")!.Total.Sum); // setup's and teardown's own iterations are not load
        Assert.Equal(1, server.Requests); // setup's request is
    }

    [Fact]
    public async Task Each_data_record_reaches_a_csharp_step_once_and_a_group_tags_the_requests_inside_it()
    {
        await using var server = await CountingServer.StartAsync();
        var users = DataTable.FromRows("users", ["email"], Enumerable.Range(1, 20).Select(i => new[] { $"user{i}@example.com" }));
        var echoed = new ConcurrentBag<string>();

        var summary = await Load.Plan()
            .BaseUrl(server.BaseAddress.ToString())
            .Data("users", users)
            .Scenario("signup", s => s.Iterations(vus: 4, iterations: 1000).Data("users").Run(ctx => ctx.Group("signup", async () =>
            {
                var echo = await ctx.Http.PostAsync("/echo", $$"""{"email":"{{ctx.Vars["email"]}}"}""", name: "echo");
                echoed.Add(echo.Json("$.email")!);
            })))
            .Build()
            .RunAsync();

        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"user{i}@example.com").Order(), echoed.Order());
        var inGroup = summary.Aggregate(new MetricKey("http_reqs", TagSet.From([new("group", "::signup"), new("name", "echo")])));
        Assert.Equal(20, inGroup!.Sum);
        Assert.Equal(20, summary.Aggregate(new MetricKey("group_duration", TagSet.From([new("group", "::signup")])))!.Histogram!.TotalCount);
    }

    [Fact]
    public async Task Users_and_flows_built_in_csharp_run_in_exact_proportion()
    {
        await using var server = await CountingServer.StartAsync();

        var summary = await Load.Plan()
            .BaseUrl(server.BaseAddress.ToString())
            .Scenario("shop", s => s.PerVuIterations(vus: 1, iterations: 60)
                .User("web", 1, u => u
                    .OnStart(o => o.Get("/token", "login"))
                    .Flow("browse", 3, f => f.Get("/hello", "browse"))
                    .Flow("search", 2, f => f.Get("/hello", "search"))
                    .Flow("buy", 1, f => f.Run(ctx => ctx.Http.GetAsync("/hello", name: "buy")))))
            .Build()
            .RunAsync();

        double Requests(string name) => summary.Aggregate(new MetricKey("http_reqs", TagSet.From([new("name", name)])))!.Sum;
        Assert.Equal([1, 30, 20, 10], [Requests("login"), Requests("browse"), Requests("search"), Requests("buy")]);
        Assert.Equal(61, server.Requests);
    }

    [Fact]
    public async Task Unnamed_urls_beyond_the_series_limit_fold_into_overflow_and_no_request_is_lost()
    {
        await using var server = await CountingServer.StartAsync();
        var next = 0;
        var plan = Load.Plan()
            .BaseUrl(server.BaseAddress.ToString())
            .Scenario("ids", s => s.Iterations(vus: 1, iterations: 40).Run(ctx => ctx.Http.GetAsync($"/hello?id={++next}")))
            .Build() with { MaxSeriesPerMetric = 5 };

        var summary = await plan.RunAsync();

        Assert.Equal(40, server.Requests);
        Assert.Equal(40, summary.Find("http_reqs")!.Total.Sum);
        Assert.Contains(summary.Warnings, w => w.Contains("reached 5 distinct tag sets", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_custom_metric_the_plan_did_not_declare_fails_the_iteration_naming_the_metric()
    {
        var summary = await Load.Plan()
            .Scenario("typo", s => s.Iterations(1, 1).Run(ctx =>
            {
                ctx.Count("ordrs_created");
                return Task.CompletedTask;
            }))
            .Build()
            .RunAsync();

        Assert.Contains("metric 'ordrs_created' is not declared", Assert.Single(summary.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_response_that_ends_mid_body_reaches_a_csharp_step_as_its_network_error_with_status_0()
    {
        await using var server = Surge.Tests.Http.ScriptedServer.Start(async connection =>
        {
            await connection.ReadRequestAsync();
            await connection.WriteAsync("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b"u8.ToArray());
        });
        HttpResult? result = null;

        await Load.Plan()
            .Scenario("cut", s => s.Iterations(1, 1).Run(async ctx => result = await ctx.Http.GetAsync(server.Url().ToString())))
            .Build()
            .RunAsync();

        Assert.NotNull(result);
        Assert.Equal("response_ended", result.Error);
        Assert.Equal(0, result.Status);
        Assert.True(result.Failed);
    }

    [Fact]
    public void Thresholds_on_unknown_metrics_or_with_stats_that_do_not_apply_are_refused_when_the_plan_is_built()
    {
        PlanBuilder Plan() => Load.Plan().Scenario("s", s => s.Get("http://127.0.0.1:1/"));

        Assert.Contains("unknown metric 'payment_time' in a threshold", Assert.Throws<PlanException>(() => Plan().Threshold("payment_time", "p(95)<500").Build()).Message, StringComparison.Ordinal);
        Assert.EndsWith("'p(95)' does not apply to rate metric 'ok'; use rate", Assert.Throws<PlanException>(() => Plan().Rate("ok").Threshold("ok", "p(95)<500").Build()).Message, StringComparison.Ordinal);
        Assert.NotNull(Plan().Trend("payment_time").Threshold("payment_time", "p(95)<500").Build());
    }

    [Fact]
    public async Task A_relative_url_needs_a_base_url()
    {
        var plan = Load.Plan().Scenario("s", s => s.Get("/items")).Build();

        var error = await Assert.ThrowsAsync<PlanException>(() => plan.RunAsync());

        Assert.Contains("'/items' is not an absolute http(s) URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_verify_stage_checks_acknowledged_ids_against_the_server_and_live_outputs_see_its_checks()
    {
        await using var server = await CountingServer.StartAsync();
        var sink = new CheckNames();

        var summary = await Load.Plan()
            .BaseUrl(server.BaseAddress.ToString())
            .Scenario("writers", s => s.Iterations(1, 1).Run(ctx =>
            {
                ctx.Acknowledge("records", "1");
                ctx.Acknowledge("records", "3");
                return Task.CompletedTask;
            }))
            .Verify("records", "/records")
            .Build()
            .RunAsync(new RunSettings { Sinks = [sink] });

        var verify = Assert.Single(summary.Verifications);
        Assert.Equal((2, 2, 1), (verify.Acknowledged, verify.OnServer, verify.Missing)); // "3" never reached the server
        Assert.Contains("verify records: every acknowledged write is on the server", sink.Seen);
    }

    private sealed class CheckNames : Surge.Results.ILiveSink
    {
        public HashSet<string> Seen { get; } = [];

        public void OnSnapshot(Surge.Results.LiveSnapshot snapshot)
        {
            foreach (var series in snapshot.Metrics.Series())
            {
                if (series.Metric.Name == "checks" && series.Interval is { IsEmpty: false } && series.Tags["check"] is { } name)
                {
                    Seen.Add(name);
                }
            }
        }

        public void OnCompleted(Surge.Results.RunSummary summary)
        {
        }
    }

    [Fact]
    public async Task Iterations_that_throw_are_counted_as_failed_beside_the_completed_ones()
    {
        var calls = 0;

        var summary = await Load.Plan()
            .Scenario("flaky", s => s.Iterations(vus: 1, iterations: 30).Run(_ =>
                Interlocked.Increment(ref calls) % 3 == 0 ? throw new InvalidOperationException("every third") : Task.CompletedTask))
            .Build()
            .RunAsync();

        var scenario = Assert.Single(summary.Scenarios);
        Assert.Equal((20L, 10L, 0L), (scenario.CompletedIterations, scenario.FailedIterations, scenario.InterruptedIterations));
        Assert.Contains(summary.Warnings, w => w.StartsWith("scenario 'flaky': 10 iterations failed with an error; the first: ", StringComparison.Ordinal));
    }
}
