using Microsoft.Playwright;
using Surge.Metrics;
using Surge.Reporting.Html;
using Surge.Reporting.Tests;
using Surge.Reporting.Tests.Findings;
using Surge.Results;

namespace Surge.Reporting.Browser.Tests;

public sealed class HtmlReportBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    private static readonly string Artifacts = Path.Combine(AppContext.BaseDirectory, "artifacts");

    /// <summary>The page as the browser saw it: what it logged, what it requested, whether a dialog opened.</summary>
    private sealed class OpenedReport(IPage page, string url)
    {
        public IPage Page { get; } = page;

        public string Url { get; } = url;

        public List<string> Errors { get; } = [];

        public List<string> Requests { get; } = [];

        public List<string> Dialogs { get; } = [];
    }

    private async Task<OpenedReport> OpenAsync(RunSummary summary, string name)
    {
        Directory.CreateDirectory(Artifacts);
        var file = Path.Combine(Artifacts, name + ".html");
        await File.WriteAllTextAsync(file, HtmlReport.Render(summary));
        var page = await chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var opened = new OpenedReport(page, new Uri(file).AbsoluteUri);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                opened.Errors.Add(message.Type + ": " + message.Text);
            }
        };
        page.PageError += (_, error) => opened.Errors.Add("page error: " + error);
        page.RequestFailed += (_, request) => opened.Errors.Add("request failed: " + request.Url);
        page.Request += (_, request) => opened.Requests.Add(request.Url);
        page.Dialog += async (_, dialog) =>
        {
            opened.Dialogs.Add(dialog.Message);
            await dialog.DismissAsync();
        };
        await page.GotoAsync(opened.Url, new PageGotoOptions { WaitUntil = WaitUntilState.Load });
        return opened;
    }

    /// <summary>Width, height and painted (non-transparent) pixels of every chart canvas.</summary>
    private static async Task<int[][]> CanvasesAsync(IPage page) => await page.EvaluateAsync<int[][]>("""
        () => [...document.querySelectorAll('.chart canvas')].map((c) => {
          const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
          return [c.width, c.height, painted];
        })
        """);

    [Fact]
    public async Task The_report_opens_offline_without_errors_draws_both_charts_and_lists_every_endpoint()
    {
        var summary = TroubledRun.Build();

        var report = await OpenAsync(summary, "troubled-run");
        await report.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "troubled-run.png"), FullPage = true });

        Assert.Empty(report.Errors);
        Assert.Equal([report.Url], report.Requests.Distinct().ToArray());
        var canvases = await CanvasesAsync(report.Page);
        Assert.Equal(2, canvases.Length);
        Assert.All(canvases, c => Assert.True(c[0] > 0 && c[1] > 0 && c[2] > 1000, $"canvas {c[0]}x{c[1]} has {c[2]} painted pixels"));
        // Series include uPlot's x series: requests/s, errors/s, VUs and p50, p90, p95, p99.
        var seriesCounts = await report.Page.EvaluateAsync<int[]>("() => [SurgeReport.charts.throughput.series.length, SurgeReport.charts.latency.series.length]");
        Assert.Equal([4, 5], seriesCounts);
        Assert.Equal(EndpointTable.From(summary).Count, await report.Page.Locator("#endpoint-table tbody tr").CountAsync());
        Assert.Equal(summary.Thresholds.Count, await report.Page.Locator("#threshold-table tbody tr").CountAsync());
        Assert.Equal(1, await report.Page.Locator("#spike-table tbody tr").CountAsync());
        Assert.Contains("Latency knee at 10s", await report.Page.Locator("#findings").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_point_appended_as_a_live_page_would_is_drawn_on_both_charts()
    {
        var summary = TroubledRun.Build();
        var report = await OpenAsync(summary, "append-point");
        var next = Timelines.Point(20, 1000, 5, 320, vus: 210);

        // As a live page would with a server-sent event's data.
        await report.Page.EvaluateAsync("json => SurgeReport.appendPoint(JSON.parse(json))", HtmlReport.PointData(next));

        Assert.Empty(report.Errors);
        var pointCounts = await report.Page.EvaluateAsync<int[]>("() => [SurgeReport.charts.throughput.data[0].length, SurgeReport.charts.latency.data[0].length]");
        Assert.Equal([21, 21], pointCounts);
        Assert.Equal(320, await report.Page.EvaluateAsync<double>("() => SurgeReport.charts.latency.data[3][20]"));
    }

    [Fact]
    public async Task A_run_that_watched_itself_gets_the_generator_panel_with_its_cpu_and_timer_lag_per_slice()
    {
        var cpu = new[] { 0.2, 0.5, 0.95, 0.97, 0.99 };
        var summary = Runs.Typical().Build([Runs.Browse]) with
        {
            Timeline =
            [
                .. cpu.Select((share, second) => Timelines.Point(second, 100, 5) with
                {
                    Series = new Dictionary<string, SliceStats>
                    {
                        [BuiltinMetrics.GeneratorCpu.Name] = new(1, share, share, share),
                        [BuiltinMetrics.MachineCpu.Name] = new(1, 1, 1, 1),
                        // Ten probes, 2 ms late on average.
                        [BuiltinMetrics.SchedulerLag.Name] = new(10, 20, 1, 4),
                    },
                }),
            ],
        };

        var report = await OpenAsync(summary, "generator-panel");

        Assert.Empty(report.Errors);
        await Assertions.Expect(report.Page.Locator("#generator-panel")).ToBeVisibleAsync();
        Assert.Equal(3, (await CanvasesAsync(report.Page)).Length);
        Assert.Equal(cpu, await report.Page.EvaluateAsync<double[]>("() => SurgeReport.charts.generator.data[1]"));
        Assert.Equal(2, await report.Page.EvaluateAsync<double>("() => SurgeReport.charts.generator.data[3][0]"));
    }

    [Fact]
    public async Task A_report_of_a_run_without_the_generators_health_hides_its_panel()
    {
        var report = await OpenAsync(TroubledRun.Build(), "no-generator-panel");

        Assert.Empty(report.Errors);
        await Assertions.Expect(report.Page.Locator("#generator-panel")).ToBeHiddenAsync();
        Assert.False(await report.Page.EvaluateAsync<bool>("() => 'generator' in SurgeReport.charts"));
    }

    [Fact]
    public async Task A_sub_second_run_charts_from_zero_to_its_end_not_to_a_hundred_seconds()
    {
        var point = Timelines.Point(0, 40, 2, 3, vus: 1) with { Length = TimeSpan.FromMilliseconds(400) };
        var summary = Runs.Typical().Build([Runs.Browse]) with { Duration = TimeSpan.FromMilliseconds(400), Timeline = [point] };

        var report = await OpenAsync(summary, "sub-second");

        Assert.Empty(report.Errors);
        var ranges = await report.Page.EvaluateAsync<double[]>(
            "() => ['throughput', 'latency'].flatMap((k) => [SurgeReport.charts[k].scales.x.min, SurgeReport.charts[k].scales.x.max])");
        Assert.Equal([0, 0.4, 0, 0.4], ranges);
    }

    [Fact]
    public async Task Scenarios_and_custom_metrics_are_shown_in_their_own_sections()
    {
        var run = Runs.Typical();
        run.Series(new MetricDefinition("orders_placed", MetricKind.Counter)).AddCounter(150);
        var summary = run.Build([Runs.Browse, Runs.Orders]) with { Timeline = Timelines.Flat() };

        var report = await OpenAsync(summary, "sections");

        Assert.Empty(report.Errors);
        Assert.Equal(["browse", "orders"], await report.Page.Locator("#scenario-table tbody tr td:first-child").AllInnerTextsAsync());
        Assert.Contains("orders_placed", await report.Page.Locator("#custom-metrics").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_custom_metric_gets_a_chart_over_time_labelled_with_its_name_and_unit_and_drawn_from_its_data()
    {
        var run = Runs.Typical();
        run.Series(Timelines.OrdersPlaced).AddCounter(630);
        run.Series(Timelines.PaymentOk).AddRate(true, 180);
        run.Series(Timelines.CheckoutTime).AddTrend(10);
        var summary = run.Build([Runs.Browse]) with { Timeline = Timelines.WithCustomMetrics(Timelines.Flat()) };

        var report = await OpenAsync(summary, "custom-charts");

        Assert.Empty(report.Errors);
        var titles = await report.Page.Locator("#over-time h3").AllInnerTextsAsync();
        Assert.Contains("orders_placed (per second): per second", titles);
        Assert.Contains("payment_ok (share of passes): share of passes", titles);
        Assert.Contains("checkout_time (ms): p50, p95 and p99", titles);
        Assert.Equal(3, await report.Page.Locator(".custom-chart canvas").CountAsync());
        // What the charts plot: orders per second in the last slice, checkout p95 in the first and the last.
        var plotted = await report.Page.EvaluateAsync<double[]>(
            "() => [SurgeReport.charts['custom:orders_placed'].data[1][19], SurgeReport.charts['custom:checkout_time'].data[2][0], SurgeReport.charts['custom:checkout_time'].data[2][19]]");
        Assert.Equal(60, plotted[0]);
        Assert.InRange(plotted[1], 95, 95 * (1 + (1 / 1024.0)));
        Assert.InRange(plotted[2], 285, 285 * (1 + (1 / 1024.0)));
        var painted = await report.Page.EvaluateAsync<int[]>("""
            () => [...document.querySelectorAll('.custom-chart canvas')].map((c) => {
              const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              let n = 0;
              for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) n++;
              return n;
            })
            """);
        Assert.All(painted, n => Assert.True(n > 1000, $"a custom chart painted only {n} pixels"));
    }

    [Fact]
    public async Task Names_with_markup_show_as_text_and_run_no_script()
    {
        const string hostile = "</script><script>alert(1)</script><img src=x onerror=alert(2)>";
        var run = new RunBuilder();
        (string, string)[] tags = [("method", "GET"), ("name", hostile), ("status", "200"), ("check", hostile)];
        run.Series(BuiltinMetrics.HttpReqs, tags).AddCounter(1);
        run.Series(BuiltinMetrics.HttpReqDuration, tags).AddTrend(12);
        run.Series(BuiltinMetrics.HttpReqFailed, tags).AddRate(false);
        run.Series(BuiltinMetrics.Checks, tags).AddRate(true);
        var summary = run.Build([Runs.Browse]) with { Timeline = Timelines.Flat() };

        var report = await OpenAsync(summary, "hostile-names");

        Assert.Empty(report.Dialogs);
        Assert.Empty(report.Errors);
        Assert.Equal(0, await report.Page.Locator("main img").CountAsync());
        Assert.Equal("GET " + hostile, await report.Page.Locator("#endpoint-table tbody tr td").First.InnerTextAsync());
    }
}
