using Microsoft.Playwright;
using Surge.Cli.Tests;
using Surge.Reporting.Browser.Tests;

namespace Surge.Cli.Dashboard.Tests;

public sealed class DashboardBrowserTests(Chromium chromium) : IClassFixture<Chromium>
{
    private static Task<int> ChartPointsAsync(IPage page) =>
        page.EvaluateAsync<int>("() => SurgeReport.charts.throughput ? SurgeReport.charts.throughput.data[0].length : 0");

    [Fact]
    public async Task A_live_run_draws_growing_charts_takes_vu_changes_from_the_page_and_stops_from_its_button()
    {
        await using var target = await TargetServer.StartAsync();
        var directory = Directory.CreateTempSubdirectory("surge-dashboard-");
        var test = Path.Combine(directory.FullName, "knob.yaml");
        await File.WriteAllTextAsync(test, $"""
            scenarios:
              knob:
                executor: externally-controlled
                vus: 1
                maxVUs: 6
                duration: 1m      # a bound in case the stop button is never pressed
                requests:
                  - url: {target.Url}
            thresholds:
              http_req_duration: ["p(95)<5000"]
            """);
        using var surge = SurgeProcess.Start(directory.FullName, "run", test, "--quiet", "--dashboard=127.0.0.1:0");
        var address = await surge.StderrLineAsync("dashboard: ");
        var page = await chromium.Browser.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
            {
                errors.Add(message.Type + ": " + message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add("page error: " + error);

        await page.GotoAsync(address);
        var row = page.Locator("#live-scenarios tr[data-scenario=knob]");
        await Assertions.Expect(row.Locator(".live-state")).ToHaveTextAsync("running", new() { Timeout = 15_000 });
        await Assertions.Expect(row.Locator(".live-executor")).ToHaveTextAsync("externally-controlled");
        await page.WaitForFunctionAsync("() => SurgeReport.charts.throughput && SurgeReport.charts.throughput.data[0].length > 0");
        var before = await ChartPointsAsync(page);
        await page.WaitForFunctionAsync($"() => SurgeReport.charts.throughput.data[0].length > {before}");
        Assert.True(await ChartPointsAsync(page) > before);
        // Throughput, latency and the generator's own panel (Surge CPU, machine CPU, timer lag), which a live run feeds.
        Assert.Equal(3, await page.Locator(".chart canvas").CountAsync());
        await Assertions.Expect(page.Locator("#generator-panel")).ToBeVisibleAsync();
        Assert.True(await page.EvaluateAsync<int>("() => SurgeReport.charts.generator.data[1].filter((v) => v != null).length") > 0);
        var outcomeTile = page.Locator("#tiles .tile", new() { Has = page.GetByText("outcome", new() { Exact = true }) }).Locator(".value");
        await Assertions.Expect(outcomeTile).ToHaveTextAsync("running"); // no verdict before the end
        Assert.Equal(1, target.MaxInFlight);
        await Assertions.Expect(row.Locator(".live-vus")).ToHaveTextAsync("1 / 6");

        await row.Locator(".vus-input").FillAsync("4");
        await row.Locator(".vus-set").ClickAsync();

        await Assertions.Expect(row.Locator(".live-target")).ToHaveTextAsync("4");
        await Assertions.Expect(row.Locator(".live-vus")).ToHaveTextAsync("4 / 6", new() { Timeout = 15_000 });
        await surge.WaitUntilAsync(() => target.InFlight == 4, "the server sees 4 requests at once");
        Assert.Equal(4, target.MaxInFlight);

        await row.Locator(".vus-input").FillAsync("7");
        await row.Locator(".vus-set").ClickAsync();
        await Assertions.Expect(page.Locator("#live-message")).ToHaveTextAsync("scenario 'knob' allows at most 6 VUs (maxVUs), not 7");
        await Assertions.Expect(row.Locator(".live-target")).ToHaveTextAsync("4");

        await page.Locator("#stop-run").ClickAsync();
        await Assertions.Expect(page.Locator("#live-state")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^finished"), new() { Timeout = 15_000 });
        var (exitCode, stdout, stderr) = await surge.ExitAsync();

        Assert.Equal(ExitCodes.StoppedBySignal, exitCode);
        Assert.Contains("http_reqs", stdout, StringComparison.Ordinal);
        Assert.Contains("Stopping gracefully (stop button on the dashboard)", stderr, StringComparison.Ordinal);
        var report = Path.Combine(directory.FullName, "surge-report.html");
        Assert.True(File.Exists(report), stderr);
        Assert.Contains("surge-report.html", stderr, StringComparison.Ordinal);
        // The page re-rendered with the final summary: the endpoint table is back and lists the one endpoint.
        Assert.Equal(1, await page.Locator("#endpoint-table tbody tr").CountAsync());
        Assert.True(await page.Locator(".vus-set").IsDisabledAsync());
        // The browser logs the refused request (409) itself; anything else is a defect of the page.
        Assert.Equal(["error: Failed to load resource: the server responded with a status of 409 (Conflict)"], errors);
        Assert.True(target.MaxInFlight <= 4);
        directory.Delete(recursive: true);
    }
}
