using System.Net.Security;
using Grpc.Net.Client;
using Surge.SampleApi.Grpc.Cashiers;
using Surge.SampleApi.Grpc.Chaos;
using Surge.SampleApi.Grpc.Invoices;

namespace Surge.SampleApi.Tests;

/// <summary>
/// The sample API with its h2c and TLS ports on free ports, a REST client on the HTTP/1.1 port and gRPC clients on the
/// h2c port (or, with <see cref="TlsChannel"/>, on the TLS port, trusting exactly the host's certificate).
/// </summary>
internal sealed class ReferenceApi : IAsyncDisposable
{
    private ReferenceApi(SampleApiHost host)
    {
        Host = host;
        Rest = new HttpClient { BaseAddress = host.BaseAddress };
        Channel = GrpcChannel.ForAddress(host.H2cAddress!);
        Cashiers = new CashierService.CashierServiceClient(Channel);
        Invoices = new InvoiceService.InvoiceServiceClient(Channel);
        Chaos = new ChaosService.ChaosServiceClient(Channel);
    }

    public SampleApiHost Host { get; }

    public HttpClient Rest { get; }

    public GrpcChannel Channel { get; }

    public CashierService.CashierServiceClient Cashiers { get; }

    public InvoiceService.InvoiceServiceClient Invoices { get; }

    public ChaosService.ChaosServiceClient Chaos { get; }

    public static async Task<ReferenceApi> StartAsync() =>
        new(await SampleApiHost.StartAsync(new SampleApiOptions { H2cPort = 0, TlsPort = 0 }));

    /// <summary>A handler for the TLS port that accepts the host's own certificate and no other.</summary>
    public SocketsHttpHandler TlsHandler()
    {
        var expected = Host.TlsCertificate!;
        return new SocketsHttpHandler
        {
            SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == expected.GetCertHashString(),
            },
        };
    }

    public GrpcChannel TlsChannel() => GrpcChannel.ForAddress(Host.TlsAddress!, new GrpcChannelOptions { HttpHandler = TlsHandler() });

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        Rest.Dispose();
        await Host.DisposeAsync();
    }
}
