using System.Net;
using System.Net.Sockets;
using Surge.Http;
using Surge.Http.Http1;
using Surge.Plans;
using Surge.Tests.Support;
using Surge.Thresholds;

namespace Surge.Tests.Http;

/// <summary>
/// k6's phases on both transports: blocked is the whole wait for a usable connection, so on a fresh one it covers
/// connecting and the TLS handshake; a connection that never came is connecting time, never waiting time.
/// </summary>
public sealed class PhaseTimingTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly RequestWatchdog Watchdog = new();
    private static readonly HttpOptions AnyCertificate = new() { InsecureSkipTlsVerify = true };

    private static HttpRequest Get(Uri url) => new("GET", url, [], null, TimeSpan.FromSeconds(5));

    private static async Task<HttpTimings> SendAsync(IHttpTransport transport, Uri url) =>
        await transport.SendAsync(Get(url), null, CancellationToken.None).AsTask().WaitAsync(Bound);

    private static Uri NothingListening()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
    }

    private static void AssertFreshConnection(HttpTimings timings, bool https)
    {
        Assert.Null(timings.Error);
        Assert.True(timings.Connecting > 0, "connecting was timed");
        Assert.Equal(https, timings.TlsHandshaking > 0);
        Assert.True(timings.Blocked >= timings.Connecting + timings.TlsHandshaking,
            $"blocked {timings.Blocked} < connecting {timings.Connecting} + TLS {timings.TlsHandshaking} (ticks)");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Over_http11_blocked_on_a_fresh_connection_is_never_less_than_connecting_plus_tls(bool https)
    {
        await using var plain = https ? null : await CountingServer.StartAsync();
        await using var secure = https ? await TlsServer.StartAsync() : null;
        var url = https ? secure!.Url : plain!.BaseAddress;

        for (var i = 0; i < 5; i++)
        {
            using var client = new Http1Client(new PerVuConnections(), AnyCertificate, Watchdog);
            AssertFreshConnection(await SendAsync(client, url), https);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Over_http2_blocked_covers_connecting_and_tls_on_a_fresh_connection_and_nothing_on_a_reused_one(bool https)
    {
        await using var plain = https ? null : await CountingServer.StartAsync(http2Only: true);
        await using var secure = https ? await TlsServer.StartAsync() : null;
        var url = https ? secure!.Url : new Uri(plain!.BaseAddress, "hello");
        using var transport = new HttpClientTransport(AnyCertificate);

        var first = await SendAsync(transport, url);
        var second = await SendAsync(transport, url);

        Assert.Equal(200, first.Status);
        AssertFreshConnection(first, https);
        Assert.Equal(200, second.Status);
        Assert.Equal((0, 0, 0), (second.Blocked, second.Connecting, second.TlsHandshaking));
    }

    [Fact]
    public async Task A_refused_connection_is_booked_as_connecting_and_blocked_on_both_transports_never_as_waiting()
    {
        var url = NothingListening();
        using var http1 = new Http1Client(new PerVuConnections(), HttpOptions.Default, Watchdog);
        using var http2 = new HttpClientTransport(HttpOptions.Default);

        foreach (var timings in new[] { await SendAsync(http1, url), await SendAsync(http2, url) })
        {
            Assert.Equal(NetworkError.ConnectionRefused, timings.Error);
            Assert.Equal((0, 0, 0), (timings.Sending, timings.Waiting, timings.Receiving));
            Assert.True(timings.Connecting > 0, "the refused connect was timed");
            Assert.True(timings.Blocked >= timings.Connecting, $"blocked {timings.Blocked} < connecting {timings.Connecting}");
        }
    }

    [Fact]
    public async Task In_a_run_refused_requests_show_their_time_in_http_req_connecting_and_none_in_http_req_waiting()
    {
        var plan = TestPlans.OneScenario(new SharedIterationsExecutor(1, 10, TimeSpan.FromSeconds(30)), NothingListening().ToString());

        var summary = await TestRun.RunAsync(plan);

        double? Stat(string metric, string stat) => summary.Aggregate(MetricKey.Parse(metric))!.Stat(stat, summary.Duration);
        Assert.Equal(10, Stat("http_req_connecting{error_code:connection_refused}", "count"));
        Assert.Equal(0, Stat("http_req_waiting", "max"));
        Assert.Equal(0, Stat("http_req_duration", "max"));
        Assert.True(Stat("http_req_connecting", "max") > 0);
        Assert.True(Stat("http_req_blocked", "min") >= Stat("http_req_connecting", "min"));
    }
}
