using Surge.Data;
using Surge.Plans;
using Surge.Results;
using Surge.Tests.Support;

namespace Surge.Tests.Engine;

public sealed class FlowTests
{
    private static TestPlan Flow(params Step[] steps) => new()
    {
        Scenarios =
        [
            new ScenarioPlan { Name = "flow", Executor = new PerVuIterationsExecutor(2, 5, TimeSpan.FromMinutes(1)), Steps = steps },
        ],
    };

    private static RequestStep Get(CountingServer server, string path, string? name = null) =>
        new() { Method = "GET", Url = server.Url(path).Replace("%7B", "{", StringComparison.Ordinal).Replace("%7D", "}", StringComparison.Ordinal), Name = name ?? path };

    private static MetricSeries CheckSeries(RunSummary summary, string check) =>
        summary.Find("checks")!.Series.Single(s => s.Tags.Contains(new KeyValuePair<string, string>("check", check)));

    [Fact]
    public async Task A_captured_token_is_sent_in_the_next_requests_header()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = Flow(
            Get(server, "token") with { Captures = [new CapturePlan("token", CaptureSource.JsonPath, "$.token")] },
            Get(server, "me") with
            {
                Headers = [new("Authorization", "Bearer {{ token }}")],
                Checks = [new CheckPlan("sent the token", CheckKind.BodyContains) { Expected = "Bearer t-123" }],
            });

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(20, server.Requests);
        Assert.Empty(summary.Warnings);
        var check = CheckSeries(summary, "sent the token").Values;
        Assert.Equal(10, check.Samples);
        Assert.Equal(10, check.Passes);
    }

    [Fact]
    public async Task A_failing_check_counts_against_the_checks_rate_but_the_iteration_goes_on()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = Flow(Get(server, "hello") with
        {
            Checks =
            [
                new CheckPlan("is created", CheckKind.Status) { Statuses = new StatusRanges([(201, 201)]) },
                new CheckPlan("says hello", CheckKind.BodyContains) { Expected = "hello" },
            ],
        });

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(10, summary.Scenarios[0].CompletedIterations);
        Assert.Equal(0, CheckSeries(summary, "is created").Values.Passes);
        Assert.Equal(10, CheckSeries(summary, "says hello").Values.Passes);
        Assert.Equal(0.5, summary.Find("checks")!.Total.Stat("rate", TimeSpan.Zero));
    }

    [Fact]
    public async Task A_capture_that_finds_nothing_fails_the_iteration()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = Flow(Get(server, "hello") with { Captures = [new CapturePlan("id", CaptureSource.JsonPath, "$.id")] });

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(0, summary.Scenarios[0].CompletedIterations);
        var warning = Assert.Single(summary.Warnings);
        Assert.Contains("10 iterations failed", warning, StringComparison.Ordinal);
        Assert.Contains("capture of 'id'", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_loop_over_a_list_sends_one_request_per_item_with_the_item_in_the_url()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = Flow(new LoopStep([Get(server, "status/{{ item }}", "status")]) { Over = ["200", "201", "204"] });

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(30, server.Requests);
        var statuses = summary.Find("http_reqs")!.Series
            .ToDictionary(s => s.Tags.Single(t => t.Key == "status").Value, s => s.Values.Sum);
        Assert.Equal(new Dictionary<string, double> { ["200"] = 10, ["201"] = 10, ["204"] = 10 }, statuses);
    }

    [Fact]
    public async Task A_group_times_its_steps_and_tags_their_requests()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = Flow(new GroupStep("browse", [Get(server, "hello"), new GroupStep("inner", [Get(server, "hello", "inner hello")])]));

        var summary = await TestRun.RunAsync(plan);

        var groups = summary.Find("group_duration")!.Series.ToDictionary(s => s.Tags.Single(t => t.Key == "group").Value, s => s.Values.Histogram!.TotalCount);
        Assert.Equal(new Dictionary<string, long> { ["::browse"] = 10, ["::browse::inner"] = 10 }, groups);
        Assert.Contains(summary.Find("http_reqs")!.Series, s => s.Tags.Contains(new KeyValuePair<string, string>("group", "::browse::inner")) && s.Values.Sum == 10);
    }

    private static TestPlan WithData(CountingServer server, FeederMode mode, int iterations)
    {
        var rows = Enumerable.Range(0, 20).Select(i => new[] { (200 + (i % 5)).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var codes = new DataSourcePlan("codes", DataTable.FromRows("codes.csv", ["code"], rows)) { Mode = mode };
        return new TestPlan
        {
            Scenarios =
            [
                new ScenarioPlan
                {
                    Name = "data",
                    Executor = new SharedIterationsExecutor(4, iterations, TimeSpan.FromMinutes(1)),
                    Steps = [Get(server, "status/{{ codes.code }}", "status")],
                    Data = codes,
                },
            ],
        };
    }

    private static Dictionary<string, double> RequestsByStatus(RunSummary summary) =>
        summary.Find("http_reqs")!.Series.ToDictionary(s => s.Tags.Single(t => t.Key == "status").Value, s => s.Values.Sum);

    [Fact]
    public async Task A_sequential_data_source_gives_each_record_to_one_iteration_and_then_stops_the_scenario()
    {
        await using var server = await CountingServer.StartAsync();

        var summary = await TestRun.RunAsync(WithData(server, FeederMode.Sequential, 50));

        Assert.Equal(20, server.Requests);
        Assert.Equal(new Dictionary<string, double> { ["200"] = 4, ["201"] = 4, ["202"] = 4, ["203"] = 4, ["204"] = 4 }, RequestsByStatus(summary));
        Assert.Contains(summary.Warnings, w => w.Contains("data source 'codes' ran out after 20 records", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_circular_data_source_wraps_around_for_every_iteration()
    {
        await using var server = await CountingServer.StartAsync();

        var summary = await TestRun.RunAsync(WithData(server, FeederMode.Circular, 50));

        Assert.Equal(50, server.Requests);
        Assert.Equal(new Dictionary<string, double> { ["200"] = 10, ["201"] = 10, ["202"] = 10, ["203"] = 10, ["204"] = 10 }, RequestsByStatus(summary));
        Assert.Empty(summary.Warnings);
    }

    [Fact]
    public async Task Personas_share_the_vus_by_weight_and_their_flows_run_in_exact_proportion()
    {
        await using var server = await CountingServer.StartAsync();
        var web = new PersonaPlan("web",
        [
            new FlowPlan("browse", [Get(server, "hello", "browse")]) { Weight = 3 },
            new FlowPlan("cart", [Get(server, "hello", "cart")]) { Weight = 2 },
            new FlowPlan("orders", [Get(server, "hello", "orders")]) { Weight = 1 },
        ])
        {
            Weight = 9,
            OnStart = [Get(server, "token", "login")],
        };
        var admin = new PersonaPlan("admin", [new FlowPlan("report", [Get(server, "hello", "report")])]);
        var plan = new TestPlan
        {
            Scenarios =
            [
                new ScenarioPlan
                {
                    Name = "shop",
                    Executor = new PerVuIterationsExecutor(10, 6, TimeSpan.FromMinutes(1)),
                    Steps = [],
                    Personas = [web, admin],
                },
            ],
        };

        var summary = await TestRun.RunAsync(plan);

        var byName = summary.Find("http_reqs")!.Series
            .GroupBy(s => s.Tags.Single(t => t.Key == "name").Value)
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Values.Sum));
        // 9 web VUs x 6 iterations = 54 = 9 rounds of 3:2:1; 1 admin VU x 6; one login per web VU.
        Assert.Equal(new Dictionary<string, double> { ["login"] = 9, ["browse"] = 27, ["cart"] = 18, ["orders"] = 9, ["report"] = 6 }, byName);
        Assert.Equal(69, server.Requests);
        Assert.Contains(summary.Find("http_reqs")!.Series, s => s.Tags.Contains(new KeyValuePair<string, string>("flow", "cart")));
    }

    [Fact]
    public async Task Setup_runs_once_and_its_captures_reach_every_vu_then_teardown_runs_once()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = Flow(Get(server, "me", "use token") with
        {
            Headers = [new("Authorization", "Bearer {{ token }}")],
            Checks = [new CheckPlan("sent the setup token", CheckKind.BodyContains) { Expected = "Bearer t-123" }],
        }) with
        {
            Setup = [Get(server, "token", "setup login") with { Captures = [new CapturePlan("token", CaptureSource.JsonPath, "$.token")] }],
            Teardown = [Get(server, "hello", "teardown")],
        };

        var summary = await TestRun.RunAsync(plan);

        var byName = summary.Find("http_reqs")!.Series.ToDictionary(s => s.Tags.Single(t => t.Key == "name").Value, s => s.Values.Sum);
        Assert.Equal(new Dictionary<string, double> { ["setup login"] = 1, ["use token"] = 10, ["teardown"] = 1 }, byName);
        Assert.Equal(10, CheckSeries(summary, "sent the setup token").Values.Passes);
        Assert.Equal(RunOutcome.Completed, summary.Outcome);
    }

    [Fact]
    public async Task A_failing_setup_runs_no_scenario_and_says_why()
    {
        await using var server = await CountingServer.StartAsync();
        var plan = Flow(Get(server, "hello")) with
        {
            Setup = [Get(server, "hello", "setup") with { Captures = [new CapturePlan("token", CaptureSource.JsonPath, "$.token")] }],
        };

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(RunOutcome.SetupFailed, summary.Outcome);
        Assert.Equal(1, server.Requests);
        Assert.Contains(summary.Warnings, w => w.StartsWith("setup failed, so no scenario ran", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Custom_metrics_count_what_the_responses_said()
    {
        await using var server = await CountingServer.StartAsync();
        var created = new Surge.Metrics.MetricDefinition("created", Surge.Metrics.MetricKind.Rate);
        var tokenTime = new Surge.Metrics.MetricDefinition("token_time", Surge.Metrics.MetricKind.Trend, Surge.Metrics.MetricContains.Time);
        var items = new Surge.Metrics.MetricDefinition("items_reported", Surge.Metrics.MetricKind.Counter);
        var conflicts = new Surge.Metrics.MetricDefinition("conflicts", Surge.Metrics.MetricKind.Counter);
        var plan = Flow(
            Get(server, "status/201", "create") with { Records = [new RecordPlan(created) { PassWhenStatus = new StatusRanges([(201, 201)]) }] },
            Get(server, "status/500", "fail") with { Records = [new RecordPlan(created) { PassWhenStatus = new StatusRanges([(201, 201)]) }] },
            Get(server, "token") with { Records = [new RecordPlan(tokenTime) { Duration = true }, new RecordPlan(items) { JsonPath = "$.count" }] },
            Get(server, "status/409", "stale") with { Records = [new RecordPlan(conflicts) { PassWhenStatus = new StatusRanges([(409, 409)]) }] },
            Get(server, "status/201", "fresh") with { Records = [new RecordPlan(conflicts) { PassWhenStatus = new StatusRanges([(409, 409)]) }] })
            with { Metrics = [created, tokenTime, items, conflicts] };

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(10, summary.Find("created")!.Total.Passes);
        Assert.Equal(20, summary.Find("created")!.Total.Samples);
        Assert.Equal(10, summary.Find("token_time")!.Total.Histogram!.TotalCount);
        Assert.Equal(20, summary.Find("items_reported")!.Total.Sum); // 10 responses reporting count = 2
        Assert.Equal(10, summary.Find("conflicts")!.Total.Sum); // a counter on status 409 counts the 10 409s, not the 201s
    }
}
