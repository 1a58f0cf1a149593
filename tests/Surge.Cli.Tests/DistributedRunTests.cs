using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Surge.SampleApi;
using Xunit.Abstractions;

namespace Surge.Cli.Tests;

/// <summary>
/// One test split over three `surge run` processes with k6's execution segments, against the sample API's server-side
/// counters. The processes run on separate generator hosts where the test can make them: network namespaces with
/// addresses of their own, resumed over the network by `surge resume` (see <see cref="GeneratorHosts"/>); elsewhere
/// they are loopback processes on this machine, and the test output says which.
/// </summary>
public sealed class DistributedRunTests(ITestOutputHelper output)
{
    private const string Token = "distributed-test-token";
    private const string Thirds = "0,1/3,2/3,1";
    private static readonly string[] Segments = ["0:1/3", "1/3:2/3", "2/3:1"];
    private static readonly Dictionary<string, string> Environment = new() { ["SURGE_API_TOKEN"] = Token };

    private static string Test(Uri api, string scenario, string data = "") => SurgeProcess.WriteTestFile($$"""
        options:
          baseUrl: {{api}}
        {{data}}
        scenarios:
          load:
        {{scenario}}
        """);

    [Fact]
    public async Task Shared_iterations_over_three_paused_instances_send_nothing_until_resumed_then_exactly_the_whole_count()
    {
        using var hosts = new GeneratorHosts(Segments.Length, output);
        await using var api = await StartApiAsync(hosts);
        var test = Test(api.BaseAddress, """
                executor: shared-iterations
                vus: 6
                iterations: 999
                requests:
                  - get: /health
            """);
        var instances = Instances(hosts, test, paused: true);
        try
        {
            var addresses = await Task.WhenAll(instances.Select(ReadyAddressAsync));
            Assert.Equal(hosts.Hosts.Select(h => h.Address.ToString()), addresses.Select(a => a.Split(':')[0]));

            Assert.Equal(0, api.RequestCount);
            using var http = new HttpClient();
            var status = await http.GetFromJsonAsync<JsonElement>(new Uri($"http://{addresses[0]}/v1/status"));
            var attributes = status.GetProperty("data").GetProperty("attributes");
            Assert.True(attributes.GetProperty("paused").GetBoolean());
            Assert.Equal(4, attributes.GetProperty("status").GetInt32());
            Assert.Equal(2, attributes.GetProperty("vus-max").GetInt32());

            var resume = await SurgeProcess.RunWithEnvironmentAsync(Environment, ["resume", .. addresses]);
            Assert.True(resume.ExitCode == 0, resume.Stderr);
            Assert.Contains("3 of 3 instances resumed", resume.Stderr, StringComparison.Ordinal);

            var exports = await FinishAsync(instances, test);
            Assert.Equal(999, api.RequestCount);
            Assert.Equal([333, 333, 333], exports.Select(e => Count(e, "http_reqs")));
        }
        finally
        {
            Dispose(instances);
        }
    }

    [Fact]
    public async Task Per_vu_iterations_split_their_vus_as_k6_does_and_every_vu_keeps_its_iterations()
    {
        using var hosts = new GeneratorHosts(Segments.Length, output);
        await using var api = await StartApiAsync(hosts);
        var test = Test(api.BaseAddress, """
                executor: per-vu-iterations
                vus: 5
                iterations: 7
                requests:
                  - get: /health
            """);

        var exports = await RunInstancesAsync(hosts, test);

        // k6: 5 VUs over thirds are 2, 2 and 1.
        Assert.Equal([14, 14, 7], exports.Select(e => Count(e, "iterations")));
        Assert.Equal(35, api.RequestCount);
    }

    [Fact]
    public async Task Constant_vus_split_their_vus_as_k6_does()
    {
        using var hosts = new GeneratorHosts(Segments.Length, output);
        await using var api = await StartApiAsync(hosts);
        var test = Test(api.BaseAddress, """
                executor: constant-vus
                vus: 4
                duration: 1s
                requests:
                  - get: /health
            """);

        var exports = await RunInstancesAsync(hosts, test);

        Assert.Equal([2, 1, 1], exports.Select(e => (long)Metric(e, "vus_max").GetProperty("max").GetDouble()));
        Assert.Equal(api.RequestCount, exports.Sum(e => Count(e, "http_reqs")));
    }

    [Fact]
    public async Task Constant_arrival_rate_over_three_instances_starts_exactly_the_whole_schedule()
    {
        using var hosts = new GeneratorHosts(Segments.Length, output);
        await using var api = await StartApiAsync(hosts);
        var test = Test(api.BaseAddress, """
                executor: constant-arrival-rate
                rate: 300
                duration: 10s
                preAllocatedVUs: 30
                maxVUs: 90
                requests:
                  - get: /health
            """);

        var exports = await RunInstancesAsync(hosts, test, "--start-at", DateTimeOffset.UtcNow.AddSeconds(3).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

        // Arrivals are due at n/300 s for n = 0..2999: 3000 in the union, 1000 striped to each third.
        var started = exports.Select(e => Count(e, "iterations") + Count(e, "dropped_iterations")).ToArray();
        Assert.Equal([1000, 1000, 1000], started);
        Assert.Equal(api.RequestCount, exports.Sum(e => Count(e, "iterations")));
    }

    [Fact]
    public async Task Three_hundred_sequential_csv_rows_over_three_instances_are_each_used_exactly_once()
    {
        using var hosts = new GeneratorHosts(Segments.Length, output);
        await using var api = await StartApiAsync(hosts);
        var csv = Path.Combine(Path.GetTempPath(), $"surge-rows-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(csv, "item\n" + string.Concat(Enumerable.Range(1, 300).Select(i => $"{i}\n")));
        var test = Test(api.BaseAddress, """
                executor: shared-iterations
                vus: 3
                iterations: 300
                data: rows
                requests:
                  - post: /orders
                    json: { itemId: "{{ item }}", quantity: 1 }
                    expectedStatuses: [201]
            """, $"data:\n  rows: {{ file: {csv} }}");

        var exports = await RunInstancesAsync(hosts, test);

        using var http = new HttpClient();
        var orders = await http.GetFromJsonAsync<JsonElement>(new Uri(api.BaseAddress, "orders"));
        var items = orders.EnumerateArray().Select(o => o.GetProperty("itemId").GetInt32()).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, 300), items);
        Assert.Equal([100, 100, 100], exports.Select(e => Count(e, "iterations")));
    }

    [Fact]
    public async Task A_signal_while_paused_ends_the_run_interrupted_with_its_results_written_and_nothing_sent()
    {
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions());
        var export = Path.Combine(Path.GetTempPath(), $"surge-export-{Guid.NewGuid():N}.json");
        var test = Test(api.BaseAddress, """
                executor: shared-iterations
                vus: 1
                iterations: 10
                requests:
                  - get: /health
            """, "setup:\n  - get: /health");
        using var surge = SurgeProcess.Start(null, Environment, "run", test, "--paused", "--address", "127.0.0.1:0", "--quiet", "--summary-export", export);
        await surge.StderrLineAsync("paused: ready");

        surge.Signal("TERM");
        var outcome = await surge.ExitAsync();

        Assert.True(outcome.ExitCode == 105, outcome.Stderr);
        Assert.True(File.Exists(export), outcome.Stderr);
        Assert.Equal(0, api.RequestCount);
    }

    [Fact]
    public async Task The_rest_api_refuses_changes_without_the_token_and_takes_k6s_plain_body_with_it()
    {
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions());
        var test = Test(api.BaseAddress, """
                executor: shared-iterations
                vus: 1
                iterations: 3
                requests:
                  - get: /health
            """);
        using var surge = SurgeProcess.Start(null, Environment, "run", test, "--paused", "--address", "127.0.0.1:0", "--quiet");
        var address = await ReadyAddressAsync(surge);
        using var http = new HttpClient();
        var status = new Uri($"http://{address}/v1/status");

        using var anonymous = await http.PatchAsync(status, Json("""{"paused": false}"""));
        Assert.Equal(HttpStatusCode.Forbidden, anonymous.StatusCode);
        Assert.Equal(0, api.RequestCount);

        using var request = new HttpRequestMessage(HttpMethod.Patch, status) { Content = Json("""{"paused": false}""") };
        request.Headers.Add("X-Surge-Token", Token);
        using var resumed = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        var outcome = await surge.ExitAsync();

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        Assert.Equal(3, api.RequestCount);
    }

    [Fact]
    public async Task Resume_waits_for_every_instance_and_resumes_none_when_one_never_gets_ready()
    {
        var outcome = await SurgeProcess.RunWithEnvironmentAsync(Environment, "resume", "127.0.0.1:9", "--timeout", "300ms");

        Assert.Equal(1, outcome.ExitCode);
        Assert.Contains("127.0.0.1:9: not ready after 300ms", outcome.Stderr, StringComparison.Ordinal);
        Assert.Contains("resumed none of the 1 instances", outcome.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2/3:1/3", "a segment must start before it ends, but 2/3:1/3 does not")]
    [InlineData("0:1/2", "the segment 0:1/2 is not one of the sequence's segments (0:1/3, 1/3:2/3, 2/3:1)")]
    [InlineData("half", "'half' is not a fraction")]
    public async Task A_bad_segment_is_a_one_line_usage_error_naming_the_problem(string segment, string problem)
    {
        var test = Test(new Uri("http://127.0.0.1:9/"), """
                executor: shared-iterations
                vus: 1
                iterations: 1
                requests:
                  - get: /health
            """);

        var outcome = await SurgeProcess.RunAsync("run", test, "--execution-segment", segment, "--execution-segment-sequence", Thirds);

        Assert.Equal(2, outcome.ExitCode);
        Assert.Contains(problem, outcome.Stderr.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_externally_controlled_scenario_is_refused_with_the_reason_before_any_load()
    {
        var test = Test(new Uri("http://127.0.0.1:9/"), """
                executor: externally-controlled
                vus: 1
                maxVUs: 3
                requests:
                  - get: /health
            """);

        var outcome = await SurgeProcess.RunAsync("run", test, "--execution-segment", "0:1/2");

        Assert.Equal(104, outcome.ExitCode);
        Assert.Contains("scenario 'load' is externally-controlled: its VUs are set while it runs", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_api_address_that_is_not_this_machines_is_an_invalid_test_not_a_crash()
    {
        var test = Test(new Uri("http://127.0.0.1:9/"), """
                executor: shared-iterations
                vus: 1
                iterations: 1
                requests:
                  - get: /health
            """);

        // 192.0.2.1 is TEST-NET-1: documentation only, never an address of this machine.
        var outcome = await SurgeProcess.RunAsync("run", test, "--paused", "--address", "192.0.2.1:6565");

        Assert.Equal(104, outcome.ExitCode);
        Assert.Contains("--address 192.0.2.1:6565: cannot listen there: ", outcome.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", outcome.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_shows_the_segments_share_and_the_scaled_executor()
    {
        var test = Test(new Uri("http://127.0.0.1:9/"), """
                executor: shared-iterations
                vus: 6
                iterations: 999
                requests:
                  - get: /health
            """);

        var outcome = await SurgeProcess.RunAsync("inspect", test, "--execution-segment", "1/3:2/3", "--execution-segment-sequence", Thirds);

        Assert.True(outcome.ExitCode == 0, outcome.Stderr);
        var plan = JsonDocument.Parse(outcome.Stdout).RootElement;
        var segment = plan.GetProperty("segment");
        Assert.Equal("1/3:2/3", segment.GetProperty("segment").GetString());
        Assert.Equal(Thirds, segment.GetProperty("sequence").GetString());
        Assert.Equal("1/3", segment.GetProperty("share").GetString());
        var executor = plan.GetProperty("scenarios")[0].GetProperty("executor");
        Assert.Equal(2, executor.GetProperty("vus").GetInt32());
        Assert.Equal(333, executor.GetProperty("iterations").GetInt32());
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static Task<SampleApiHost> StartApiAsync(GeneratorHosts hosts) =>
        SampleApiHost.StartAsync(new SampleApiOptions { PrivateAddress = hosts.TargetAddress });

    // One instance per segment, each on its own generator host; paused ones serve the REST API at the host's address.
    private static SurgeProcess[] Instances(GeneratorHosts hosts, string test, bool paused, params string[] extra) =>
    [
        .. Segments.Zip(hosts.Hosts, (segment, host) => SurgeProcess.StartUnder(host.Launcher, Environment,
            ["run", test, "--execution-segment", segment, "--execution-segment-sequence", Thirds, "--quiet", "--summary-export", ExportPath(test, segment),
             .. paused ? ["--paused", "--address", host.ApiAddress] : Array.Empty<string>(), .. extra])),
    ];

    private static string ExportPath(string test, string segment) => $"{test}.{segment.Replace('/', '_').Replace(':', '-')}.json";

    private static async Task<JsonElement[]> RunInstancesAsync(GeneratorHosts hosts, string test, params string[] extra)
    {
        var instances = Instances(hosts, test, paused: false, extra);
        try
        {
            return await FinishAsync(instances, test);
        }
        finally
        {
            Dispose(instances);
        }
    }

    // Every instance's summary export, in segment order, once all have exited successfully.
    private static async Task<JsonElement[]> FinishAsync(SurgeProcess[] instances, string test)
    {
        var outcomes = await Task.WhenAll(instances.Select(i => i.ExitAsync()));
        Assert.All(outcomes, o => Assert.True(o.ExitCode == 0, $"exit {o.ExitCode}:\n{o.Stderr}"));
        return [.. Segments.Select(segment => JsonDocument.Parse(File.ReadAllText(ExportPath(test, segment))).RootElement)];
    }

    private static async Task<string> ReadyAddressAsync(SurgeProcess instance)
    {
        var api = await instance.StderrLineAsync("api: ");
        await instance.StderrLineAsync("paused: ready");
        return new Uri(api.Split(' ')[0]).Authority;
    }

    private static JsonElement Metric(JsonElement export, string name) => export.GetProperty("metrics").GetProperty(name);

    private static long Count(JsonElement export, string name) =>
        export.GetProperty("metrics").TryGetProperty(name, out var metric) ? (long)metric.GetProperty("count").GetDouble() : 0;

    private static void Dispose(SurgeProcess[] instances)
    {
        foreach (var instance in instances)
        {
            instance.Dispose();
        }
    }
}
