using System.Net;
using System.Net.NetworkInformation;
using System.Text.RegularExpressions;

namespace Surge.Cli.Dashboard.Tests;

public sealed partial class DashboardSecurityTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new();
    private LiveDashboard _dashboard = null!;
    private int _stops;

    public async Task InitializeAsync() =>
        _dashboard = await LiveDashboard.StartAsync(new DashboardAddress(IPAddress.Loopback, 0), () => Interlocked.Increment(ref _stops));

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
    }

    [GeneratedRegex("\"token\":\"([0-9a-f]+)\"")]
    private static partial Regex TokenInPage();

    private async Task<string> TokenAsync() => TokenInPage().Match(await Http.GetStringAsync(_dashboard.Address)).Groups[1].Value;

    private Uri Stop => new(_dashboard.Address, "stop");

    [Fact]
    public async Task A_cross_site_form_post_cannot_stop_the_run()
    {
        using var form = new HttpRequestMessage(HttpMethod.Post, Stop) { Content = new FormUrlEncodedContent([new("stop", "1")]) };
        form.Headers.Add("Origin", "http://evil.example");

        using var response = await Http.SendAsync(form);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, _stops);
    }

    [Fact]
    public async Task The_pages_token_from_another_origin_or_host_is_refused_too()
    {
        var token = await TokenAsync();
        using var foreignOrigin = new HttpRequestMessage(HttpMethod.Post, Stop);
        foreignOrigin.Headers.Add(LiveDashboard.TokenHeader, token);
        foreignOrigin.Headers.Add("Origin", "http://evil.example");
        using var foreignHost = new HttpRequestMessage(HttpMethod.Post, Stop);
        foreignHost.Headers.Add(LiveDashboard.TokenHeader, token);
        foreignHost.Headers.Host = "evil.example";
        using var wrongToken = new HttpRequestMessage(HttpMethod.Post, Stop);
        wrongToken.Headers.Add(LiveDashboard.TokenHeader, new string('0', token.Length));

        Assert.Equal(HttpStatusCode.Forbidden, (await Http.SendAsync(foreignOrigin)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.SendAsync(foreignHost)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.SendAsync(wrongToken)).StatusCode);
        Assert.Equal(0, _stops);
    }

    [Fact]
    public async Task The_page_itself_stops_the_run_with_its_token()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Stop);
        request.Headers.Add(LiveDashboard.TokenHeader, await TokenAsync());
        request.Headers.Add("Origin", _dashboard.Address.GetLeftPart(UriPartial.Authority));

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, _stops);
    }

    [Fact]
    public async Task The_page_may_not_be_framed_and_loads_nothing_from_elsewhere()
    {
        using var response = await Http.GetAsync(_dashboard.Address);

        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vus_for_a_scenario_that_is_not_externally_controlled_are_not_found()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_dashboard.Address, "scenarios/browse/vus")) { Content = new StringContent("3") };
        request.Headers.Add(LiveDashboard.TokenHeader, await TokenAsync());

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("no externally-controlled scenario is called 'browse'\n", await response.Content.ReadAsStringAsync());
    }
    [Fact]
    public async Task A_dashboard_listening_on_every_address_still_refuses_a_foreign_host_its_page_token_and_stop()
    {
        var stops = 0;
        await using var open = await LiveDashboard.StartAsync(new DashboardAddress(IPAddress.Any, 0), () => Interlocked.Increment(ref stops));
        var token = TokenInPage().Match(await Http.GetStringAsync(open.Address)).Groups[1].Value;
        using var page = new HttpRequestMessage(HttpMethod.Get, open.Address);
        page.Headers.Host = "evil.example";
        using var stop = new HttpRequestMessage(HttpMethod.Post, new Uri(open.Address, "stop"));
        stop.Headers.Host = "evil.example";
        stop.Headers.Add(LiveDashboard.TokenHeader, token);

        using var pageResponse = await Http.SendAsync(page);
        using var stopResponse = await Http.SendAsync(stop);

        Assert.Equal(HttpStatusCode.Forbidden, pageResponse.StatusCode);
        Assert.DoesNotContain(token, await pageResponse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, stopResponse.StatusCode);
        Assert.Equal(0, stops);
    }

    [Fact]
    public async Task A_dashboard_listening_on_every_address_answers_to_the_machines_own_names_and_addresses_and_to_allowed_names()
    {
        var address = new DashboardAddress(IPAddress.Any, 0) { AllowedHosts = [DashboardAddress.HostName("Dash.Example:8443")] };
        await using var open = await LiveDashboard.StartAsync(address, () => { });
        var machine = IPGlobalProperties.GetIPGlobalProperties().HostName;
        var interfaceAddress = NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => u.Address).Where(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            .OrderBy(IPAddress.IsLoopback).First();

        foreach (var host in new[] { $"127.0.0.1:{open.Address.Port}", $"localhost:{open.Address.Port}", machine, $"{interfaceAddress}:{open.Address.Port}", "dash.example" })
        {
            using var page = new HttpRequestMessage(HttpMethod.Get, open.Address);
            page.Headers.Host = host;
            using var response = await Http.SendAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Host: {host} got {response.StatusCode}");
        }
    }
}
