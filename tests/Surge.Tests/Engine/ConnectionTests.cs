using Surge.Plans;
using Surge.Tests.Support;

namespace Surge.Tests.Engine;

public sealed class ConnectionTests
{
    private static TestPlan TenVusTwentyIterationsEach(string url, ConnectionSharing sharing) =>
        TestPlans.OneScenario(new PerVuIterationsExecutor(10, 20, TimeSpan.FromMinutes(1)), url) with
        {
            Http = new HttpOptions { Connections = sharing },
        };

    [Fact]
    public async Task Each_vu_keeps_its_own_connection_alive_as_in_k6()
    {
        await using var server = await CountingServer.StartAsync();

        var summary = await TestRun.RunAsync(TenVusTwentyIterationsEach(server.Url("hello"), ConnectionSharing.PerVu));

        Assert.Equal(200, server.Requests);
        Assert.Equal(200, summary.Find("http_reqs")!.Total.Sum);
        Assert.Equal(10, server.Connections);
    }

    [Theory]
    [InlineData(ConnectionSharing.PerVu, 10)]
    [InlineData(ConnectionSharing.Shared, 5)]
    public async Task A_shared_pool_lets_later_vus_reuse_the_connections_of_earlier_ones(ConnectionSharing sharing, int connections)
    {
        await using var server = await CountingServer.StartAsync();
        var first = TenVusTwentyIterationsEach(server.Url("hello"), sharing).Scenarios[0] with
        {
            Executor = new PerVuIterationsExecutor(5, 10, TimeSpan.FromMinutes(1)),
        };
        var plan = new TestPlan
        {
            Scenarios = [first with { Name = "early" }, first with { Name = "late", StartTime = TimeSpan.FromSeconds(1) }],
            Http = new HttpOptions { Connections = sharing },
        };

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(100, server.Requests);
        Assert.Equal(100, summary.Find("http_reqs")!.Total.Sum);
        Assert.Equal(connections, server.Connections);
    }

    [Fact]
    public async Task Http_2_requests_go_through_HttpClient_and_are_tagged_as_such()
    {
        await using var server = await CountingServer.StartAsync(http2Only: true);
        var plan = TestPlans.OneScenario(new PerVuIterationsExecutor(2, 5, TimeSpan.FromMinutes(1)), server.Url("hello"));
        plan = plan with
        {
            Scenarios = [plan.Scenarios[0] with { Steps = [((RequestStep)plan.Scenarios[0].Steps[0]) with { HttpVersion = "2" }] }],
        };

        var summary = await TestRun.RunAsync(plan);

        Assert.Equal(10, server.Requests);
        Assert.Equal(["HTTP/2"], server.Protocols);
        var series = Assert.Single(summary.Find("http_reqs")!.Series);
        Assert.Contains(new KeyValuePair<string, string>("proto", "HTTP/2.0"), series.Tags);
        Assert.Equal(10, series.Values.Sum);
    }
}
