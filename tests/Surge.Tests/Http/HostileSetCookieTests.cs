using System.Text;
using Surge.Engine;
using Surge.Engine.Steps;
using Surge.Http;
using Surge.Metrics;
using Surge.Plans;
using Surge.Tests.Support;

namespace Surge.Tests.Http;

/// <summary>A server that answers with hostile Set-Cookie headers: every response is still counted, and the jar stays bounded and clean.</summary>
public sealed class HostileSetCookieTests
{
    private const int Requests = 5;

    public static TheoryData<string, string> HostileHeads() => new()
    {
        { "thousands of cookies", string.Concat(Enumerable.Range(0, 2500).Select(i => $"Set-Cookie: c{i}=v\r\n")) },
        { "one huge cookie", $"Set-Cookie: big={new string('x', 60_000)}\r\n" },
        { "a bare CR inside", "Set-Cookie: a=1\rX-Injected: yes\r\nSet-Cookie: b=\u0000\r\n" },
        { "malformed pairs and attributes", "Set-Cookie: \r\nSet-Cookie: ;;;;\r\nSet-Cookie: =\r\nSet-Cookie: noequals\r\nSet-Cookie: a=1; Domain=evil.test; Max-Age=x\r\n" },
        { "a secure cookie over http", "Set-Cookie: s=1; Secure\r\n" },
    };

    [Theory]
    [MemberData(nameof(HostileHeads))]
    public async Task Hostile_set_cookie_headers_never_fail_a_response_and_leave_nothing_unsafe_in_the_jar(string what, string headers)
    {
        var response = Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\n{headers}Content-Length: 2\r\n\r\nok");
        var (reqs, ok, jar) = await RunAsync(response);

        Assert.True(Requests == ok, $"{what}: {ok} of {Requests} responses were 200");
        Assert.Equal(Requests, reqs);
        Assert.InRange(jar.Count, 0, CookieJar.MaxCookiesPerDomain);
        var sent = jar.CookiesFor(new Uri("http://127.0.0.1/"));
        Assert.All(sent, c => Assert.DoesNotContain(c.Key + c.Value, ch => ch < 0x20));
        Assert.True(sent.Sum(c => c.Key.Length + c.Value.Length) <= CookieJar.MaxCookiesPerDomain * CookieJar.MaxCookieBytes);
    }

    [Fact]
    public async Task A_set_cookie_head_past_64_KB_is_response_too_large_not_a_crash()
    {
        var response = Encoding.Latin1.GetBytes($"HTTP/1.1 200 OK\r\n{string.Concat(Enumerable.Range(0, 4000).Select(i => $"Set-Cookie: c{i}=value\r\n"))}Content-Length: 2\r\n\r\nok");
        var (reqs, ok, jar) = await RunAsync(response);

        Assert.Equal(Requests, reqs);
        Assert.Equal(0, ok);
        Assert.Equal(0, jar.Count);
    }

    // Requests in one VU that keeps its jar across iterations, so what hostile responses leave accumulates.
    private static async Task<(long Requests, long Ok, CookieJar Jar)> RunAsync(byte[] response)
    {
        using var server = new CannedResponseServer(response);
        var registry = new MetricRegistry();
        using var recorder = new MetricsRecorder(registry);
        using var engine = new EngineContext(recorder, TagSet.Empty, CancellationToken.None, HttpOptions.Default with { NoCookiesReset = true });
        var plan = new ScenarioPlan
        {
            Name = "hostile",
            Executor = new ConstantVusExecutor(1, TimeSpan.FromMinutes(1)),
            Steps = [new RequestStep { Method = "GET", Url = server.Url("x"), Name = "x" }],
        };
        using var scenario = new ScenarioRuntime(plan, engine, StepCompiler.Compile);
        var vu = scenario.CreateVu();
        for (var i = 0; i < Requests; i++)
        {
            await scenario.RunIterationAsync(vu);
        }
        var snapshot = recorder.Collect(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var ok = snapshot.Aggregate(BuiltinMetrics.HttpReqs, TagSet.From([new("status", "200")])).Sum;
        return ((long)snapshot.Aggregate(BuiltinMetrics.HttpReqs, TagSet.Empty).Sum, (long)ok, vu.Session.Cookies!);
    }
}
