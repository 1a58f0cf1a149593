using System.Net;
using Grpc.Reflection.V1Alpha;
using Surge.SampleApi.Grpc.Cashiers;
using Surge.SampleApi.Grpc.Chaos;

namespace Surge.SampleApi.Tests;

public sealed class ProtocolPortTests
{
    [Fact]
    public async Task The_tls_port_serves_grpc_over_http2_chosen_by_alpn_with_the_hosts_own_certificate()
    {
        await using var api = await ReferenceApi.StartAsync();
        using var channel = api.TlsChannel();
        var cashiers = new CashierService.CashierServiceClient(channel);

        var created = await cashiers.CreateCashierAsync(new CreateCashierRequest { Name = "Ada", Email = "ada@example.com" });
        var read = await ReferenceDomainRestTests.SendAsync(api.Rest, HttpMethod.Get, $"cashiers/{created.Id}");

        Assert.Equal("https", api.Host.TlsAddress!.Scheme);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(1, api.Host.Grpc.CallsTo("cashiers.CashierService/CreateCashier", "OK"));
    }

    [Theory]
    [InlineData("1.1")]
    [InlineData("2.0")]
    public async Task The_tls_port_serves_rest_over_http1_and_http2(string version)
    {
        await using var api = await ReferenceApi.StartAsync();
        using var client = new HttpClient(api.TlsHandler()) { BaseAddress = api.Host.TlsAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "health") { Version = Version.Parse(version), VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.SendAsync(request);

        Assert.Equal((HttpStatusCode.OK, Version.Parse(version)), (response.StatusCode, response.Version));
    }

    [Fact]
    public async Task The_h2c_port_speaks_http2_with_prior_knowledge_for_rest_too()
    {
        await using var api = await ReferenceApi.StartAsync();
        using var client = new HttpClient { BaseAddress = api.Host.H2cAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "health") { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.SendAsync(request);

        Assert.Equal((HttpStatusCode.OK, HttpVersion.Version20), (response.StatusCode, response.Version));
        Assert.NotEqual(api.Host.BaseAddress.Port, api.Host.H2cAddress!.Port);
    }

    [Fact]
    public async Task A_certificate_other_than_the_hosts_is_not_trusted_so_the_pinning_in_these_tests_means_something()
    {
        await using var first = await ReferenceApi.StartAsync();
        await using var second = await ReferenceApi.StartAsync();
        using var client = new HttpClient(second.TlsHandler()) { BaseAddress = first.Host.TlsAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetAsync("health"));
        Assert.NotEqual(first.Host.TlsCertificate!.GetCertHashString(), second.Host.TlsCertificate!.GetCertHashString());
    }

    [Fact]
    public async Task Server_reflection_lists_the_three_services_of_the_reference_domain()
    {
        await using var api = await ReferenceApi.StartAsync();
        var reflection = new ServerReflection.ServerReflectionClient(api.Channel);

        using var call = reflection.ServerReflectionInfo();
        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToList();

        Assert.Contains("cashiers.CashierService", services);
        Assert.Contains("invoices.InvoiceService", services);
        Assert.Contains("chaos.ChaosService", services);
    }

    [Fact]
    public async Task Without_h2c_and_tls_ports_the_host_listens_on_its_http1_port_only()
    {
        await using var api = await SampleApiHost.StartAsync(new SampleApiOptions());

        Assert.Null(api.H2cAddress);
        Assert.Null(api.TlsAddress);
        Assert.Null(api.TlsCertificate);
    }

    [Fact]
    public async Task Echo_over_h2c_and_tls_is_counted_once_per_call()
    {
        await using var api = await ReferenceApi.StartAsync();
        using var tls = api.TlsChannel();
        var overTls = new ChaosService.ChaosServiceClient(tls);

        for (var i = 0; i < 7; i++)
        {
            await api.Chaos.EchoAsync(new EchoMessage { Text = "h2c" });
            await overTls.EchoAsync(new EchoMessage { Text = "tls" });
        }

        Assert.Equal(14, api.Host.Grpc.CallsTo("chaos.ChaosService/Echo", "OK"));
        Assert.Equal(14, api.Host.RequestsTo("POST", "/chaos.ChaosService/Echo"));
    }
}
