using System.Threading.Channels;
using Surge.Engine;
using Surge.Metrics;
using Surge.Plans;
using Surge.Results;

namespace Surge.Cli.Dashboard.Tests;

public sealed class DashboardFeedTests
{
    private static LiveUpdate Update(int second) => new(
        new TimelinePoint { Start = TimeSpan.FromSeconds(second), Length = TimeSpan.FromSeconds(1), Requests = second, EncodedDuration = new Histogram().ToBase64() },
        new RunSummary { StartedAt = DateTimeOffset.UnixEpoch, Duration = TimeSpan.FromSeconds(second + 1), Metrics = [], Thresholds = [], Scenarios = [] },
        []);

    private static async Task<List<string>> DrainAsync(ChannelReader<string> events)
    {
        var messages = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await foreach (var message in events.ReadAllAsync(timeout.Token))
        {
            messages.Add(message);
        }
        return messages;
    }

    private static async Task WaitForSeqAsync(DashboardFeed feed, long seq)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (feed.Current().Seq < seq)
        {
            await Task.Delay(5, timeout.Token);
        }
    }

    [Fact]
    public async Task A_page_subscribing_after_event_n_gets_exactly_the_later_events_and_then_the_end()
    {
        await using var feed = new DashboardFeed(new ExternalControl());
        for (var second = 0; second < 5; second++)
        {
            feed.Post(Update(second));
        }
        await WaitForSeqAsync(feed, 5);

        var events = feed.Subscribe(after: 3);
        feed.Post(Update(5));
        feed.Complete(Update(6).SoFar);
        var messages = await DrainAsync(events);

        Assert.Equal(["id: 4", "id: 5", "id: 6", "event: done"], messages.Select(m => m.Split('\n')[0]));
        Assert.Contains("\"requests\":3", messages[0], StringComparison.Ordinal);
        Assert.True(feed.Current().Finished);
    }

    [Fact]
    public async Task Each_live_point_carries_the_tests_own_metrics_as_the_sink_followed_them()
    {
        var orders = new MetricDefinition("orders_placed", MetricKind.Counter);
        var registry = new MetricRegistry();
        registry.Define(orders);
        using var recorder = new MetricsRecorder(registry);
        using (var writer = recorder.BeginWrite())
        {
            writer.AddCounter(registry.GetSeries(orders, TagSet.Empty), 42);
        }
        await using var feed = new DashboardFeed(new ExternalControl());

        new DashboardSink(feed).OnSnapshot(new LiveSnapshot(recorder.Collect(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)), [], []));
        await WaitForSeqAsync(feed, 1);

        // 42 orders in a 2 s slice: 21 per second.
        Assert.Contains("\"custom\":{\"orders_placed\":{\"value\":21}}", feed.Current().LastUpdate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_page_served_now_carries_the_last_update_so_its_scenario_rows_need_no_wait()
    {
        await using var feed = new DashboardFeed(new ExternalControl());
        Assert.Null(feed.Current().LastUpdate);
        var scenario = new ScenarioProgress("browse", "constant-vus", ScenarioState.Running, 3, 3, 3, 40, 0, 0, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));

        feed.Post(Update(0) with { Scenarios = [scenario] });
        await WaitForSeqAsync(feed, 1);

        Assert.Contains("\"scenarios\":[{\"name\":\"browse\"", feed.Current().LastUpdate, StringComparison.Ordinal);
        Assert.Contains("\"iterations\":40", feed.Current().LastUpdate, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_that_stops_reading_is_dropped_and_one_too_far_behind_is_told_to_reload()
    {
        await using var feed = new DashboardFeed(new ExternalControl());
        var stalled = feed.Subscribe(after: null);
        for (var second = 0; second < 300; second++)
        {
            feed.Post(Update(second));
            if (second % 50 == 49)
            {
                await WaitForSeqAsync(feed, second + 1);
            }
        }
        await WaitForSeqAsync(feed, 300);

        // Its queue (128 events) filled up, so it was cut off after what it had buffered; it never held up the other 172.
        // No update was lost before that: the waits every 50 posts keep the feed's inbox (64) from dropping any.
        var buffered = await DrainAsync(stalled);
        Assert.Equal(Enumerable.Range(1, 128).Select(id => $"id: {id}"), buffered.Select(m => m.Split('\n')[0]));
        var tooOld = await DrainAsync(feed.Subscribe(after: 2));
        Assert.Equal(["event: reload"], tooOld.Select(m => m.Split('\n')[0]));
    }

    [Theory]
    [InlineData(null, "127.0.0.1", 5665)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    [InlineData("localhost:8080", "127.0.0.1", 8080)]
    [InlineData(":7000", "127.0.0.1", 7000)]
    [InlineData("0.0.0.0:5665", "0.0.0.0", 5665)]
    [InlineData("[::1]:5665", "::1", 5665)]
    public void Dashboard_addresses_default_to_loopback_on_k6s_port(string? text, string host, int port)
    {
        var address = DashboardAddress.Parse(text);

        Assert.Equal(host, address.Host.ToString());
        Assert.Equal(port, address.Port);
    }

    [Theory]
    [InlineData("test.yaml")]
    [InlineData("http://127.0.0.1:8080/")]
    [InlineData("5665")]
    public void Text_that_is_not_host_and_port_is_left_to_the_command(string text)
    {
        Assert.False(DashboardAddress.LooksLikeAddress(text));
        Assert.Throws<PlanException>(() => DashboardAddress.Parse(text));
    }
}
