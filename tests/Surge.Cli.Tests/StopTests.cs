using System.Text.Json;
using System.Xml.Linq;
using Surge.Cli.Dashboard.Tests;

namespace Surge.Cli.Tests;

/// <summary>
/// Stopping as CI does it: a signal to the surge process while slow work is in flight, and code that never returns.
/// Whatever happens, the summary and every file are written and the process ends.
/// </summary>
public sealed class StopTests : IAsyncLifetime
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("surge-stop-");
    // Requests that take 8 s: a slow system under test, which a graceful stop must wait for.
    private TargetServer _server = null!;

    public async Task InitializeAsync() => _server = await TargetServer.StartAsync(TimeSpan.FromSeconds(8));

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _directory.Delete(recursive: true);
    }

    private string In(string name) => Path.Combine(_directory.FullName, name);

    private static long Count(string summaryExport, string metric) =>
        JsonDocument.Parse(File.ReadAllText(summaryExport)).RootElement.GetProperty("metrics").TryGetProperty(metric, out var value)
            ? value.GetProperty("count").GetInt64()
            : 0;

    private string[] EveryOutput() =>
        ["--summary-export", In("summary.json"), "--result", In("result.json"), "--junit", In("junit.xml"), "--csv", In("run"), "--findings", In("findings.md"), "--report", In("report.html")];

    private void AssertEveryOutputWritten()
    {
        Assert.True(JsonDocument.Parse(File.ReadAllText(In("result.json"))).RootElement.ValueKind == JsonValueKind.Object);
        Assert.Equal("testsuites", XDocument.Load(In("junit.xml")).Root!.Name.LocalName);
        Assert.True(File.Exists(In("run_stats.csv")));
        Assert.True(File.Exists(In("findings.md")));
        Assert.Contains("</html>", File.ReadAllText(In("report.html")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task The_first_signal_lets_requests_held_8_seconds_finish_writes_every_output_and_exits_105(string signal)
    {
        var test = SurgeProcess.WriteTestFile($"""
            scenarios:
              held:
                executor: constant-vus
                vus: 2
                duration: 5m
                gracefulStop: 30s
                requests:
                  - name: held
                    url: {_server.Url}
            """);
        using var surge = SurgeProcess.Start(null, ["run", test, "--quiet", .. EveryOutput()]);
        await surge.WaitUntilAsync(() => _server.Requests == 2, "both VUs sent a request");

        surge.Signal(signal);
        var run = await surge.ExitAsync();

        Assert.Equal(105, run.ExitCode);
        Assert.Equal(2, _server.Answered);
        Assert.Equal(_server.Answered, Count(In("summary.json"), "http_reqs"));
        Assert.Equal(2, Count(In("summary.json"), "iterations"));
        Assert.Contains("stopped by a signal", run.Stdout, StringComparison.Ordinal);
        AssertEveryOutputWritten();
    }

    [Fact]
    public async Task A_stop_from_the_dashboard_is_reported_as_such_writes_every_output_and_exits_105()
    {
        await using var fast = await TargetServer.StartAsync();
        var test = SurgeProcess.WriteTestFile($"""
            scenarios:
              steady:
                executor: constant-vus
                vus: 1
                duration: 5m
                requests:
                  - url: {fast.Url}
            """);
        using var surge = SurgeProcess.Start(_directory.FullName, ["run", test, "--quiet", "--dashboard=127.0.0.1:0", .. EveryOutput()]);
        var address = new Uri(await surge.StderrLineAsync("dashboard: "));
        await surge.WaitUntilAsync(() => fast.Answered > 0, "the server answered a request");
        using var http = new HttpClient();
        var token = System.Text.RegularExpressions.Regex.Match(await http.GetStringAsync(address), "\"token\":\"([0-9a-f]+)\"").Groups[1].Value;
        using var stop = new HttpRequestMessage(HttpMethod.Post, new Uri(address, "stop"));
        stop.Headers.Add(Surge.Cli.Dashboard.LiveDashboard.TokenHeader, token);
        stop.Headers.Add("Origin", address.GetLeftPart(UriPartial.Authority));

        using var response = await http.SendAsync(stop);
        var run = await surge.ExitAsync();

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(105, run.ExitCode);
        Assert.Contains("outcome: interrupted: stopped from the dashboard before the end", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("stopped by a signal", run.Stdout, StringComparison.Ordinal);
        Assert.Equal(fast.Answered, Count(In("summary.json"), "http_reqs"));
        AssertEveryOutputWritten();
        var again = await SurgeProcess.RunAsync("report", In("result.json"));
        Assert.Contains("outcome: interrupted: stopped from the dashboard before the end", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csharp_step_that_never_yields_finishes_within_graceful_stop_after_a_signal()
    {
        var log = In("iterations.log");
        var test = SurgeProcess.WriteTestFile($$"""
            using Surge;
            using Surge.Plans;

            public static class Busy
            {
                public static TestPlan Plan() => Load.Plan()
                    .Scenario("busy", s => s.ConstantVus(1, TimeSpan.FromMinutes(5)).GracefulStop(TimeSpan.FromSeconds(30))
                        .Run("work for 8 s without yielding", _ =>
                        {
                            File.AppendAllText({{JsonSerializer.Serialize(log)}}, "started\n");
                            Thread.Sleep(TimeSpan.FromSeconds(8));
                            File.AppendAllText({{JsonSerializer.Serialize(log)}}, "finished\n");
                            return Task.CompletedTask;
                        }))
                    .Build();
            }
            """, ".cs");
        using var surge = SurgeProcess.Start(null, ["run", test, "--quiet", .. EveryOutput()]);
        await surge.WaitUntilAsync(() => File.Exists(log), "the step started");

        surge.Signal("TERM");
        var run = await surge.ExitAsync();

        Assert.Equal(105, run.ExitCode);
        var lines = File.ReadAllLines(log);
        Assert.Equal(["started", "finished"], lines);
        Assert.Equal(1, Count(In("summary.json"), "iterations"));
        AssertEveryOutputWritten();
    }

    private static string Spinning(string scenarios) => $$"""
        using Surge;
        using Surge.Plans;

        public static class Spin
        {
            public static TestPlan Plan() => Load.Plan()
        {{scenarios}}
                .Build();
        }
        """;

    [Fact]
    public async Task A_csharp_step_that_never_returns_ends_the_run_at_its_limits_and_the_summary_names_it()
    {
        var test = SurgeProcess.WriteTestFile(Spinning("""
                    .Scenario("looping", s => s.ConstantVus(1, TimeSpan.FromSeconds(2)).GracefulStop(TimeSpan.FromSeconds(1))
                        .Run("spin", _ => { while (true) { } }))
                    .Scenario("arrivals", s => s.ArrivalRate(2, TimeSpan.FromSeconds(2), 1, 1).GracefulStop(TimeSpan.FromSeconds(1))
                        .Run("spin on the dispatcher", _ => { while (true) { } }))
            """), ".cs");

        var run = await SurgeProcess.RunAsync(["run", test, "--quiet", .. EveryOutput()]);

        Assert.Equal(0, run.ExitCode);
        var warnings = string.Join(' ', run.Stdout.Split('\n').Select(l => l.Trim()));
        Assert.Matches("scenario 'looping': VU [0-9]+ in C# step 'spin' did not return after the hard stop", warnings);
        Assert.Matches("scenario 'arrivals': VU [0-9]+ in C# step 'spin on the dispatcher' did not return after the hard stop", warnings);
        Assert.Contains("iterations: 0 completed, 2 interrupted", run.Stdout, StringComparison.Ordinal);
        AssertEveryOutputWritten();
    }

    [Fact]
    public async Task A_signal_to_a_run_stuck_in_a_csharp_step_still_ends_it_with_every_output_and_exit_105()
    {
        var started = In("started");
        var test = SurgeProcess.WriteTestFile(Spinning($$"""
                    .Scenario("looping", s => s.ConstantVus(1, TimeSpan.FromMinutes(5)).GracefulStop(TimeSpan.FromSeconds(1))
                        .Run("spin", _ => { File.WriteAllText({{JsonSerializer.Serialize(started)}}, ""); while (true) { } }))
            """), ".cs");
        using var surge = SurgeProcess.Start(null, ["run", test, "--quiet", .. EveryOutput()]);
        await surge.WaitUntilAsync(() => File.Exists(started), "the step started");

        surge.Signal("TERM");
        var run = await surge.ExitAsync();

        Assert.Equal(105, run.ExitCode);
        Assert.Contains("C# step 'spin' did not return", string.Join(' ', run.Stdout.Split('\n').Select(l => l.Trim())), StringComparison.Ordinal);
        AssertEveryOutputWritten();
    }
}
