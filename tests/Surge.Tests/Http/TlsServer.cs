using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Surge.Tests.Http;

/// <summary>Kestrel on https with a self-signed certificate made for the test; counts the connections it served.</summary>
internal sealed class TlsServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HashSet<string> _connectionIds = [];

    private TlsServer(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    public int Connections
    {
        get
        {
            lock (_connectionIds)
            {
                return _connectionIds.Count;
            }
        }
    }

    public static async Task<TlsServer> StartAsync()
    {
        var certificate = SelfSignedCertificate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Critical);
        builder.WebHost.UseKestrel(kestrel => kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate))
            .UseUrls("https://127.0.0.1:0");
        var app = builder.Build();
        var server = new TlsServer(app);
        app.Use(async (context, next) =>
        {
            lock (server._connectionIds)
            {
                server._connectionIds.Add(context.Connection.Id);
            }
            await next(context);
        });
        app.MapGet("/", () => "secure\n");
        await app.StartAsync();
        server.Url = new Uri(app.Urls.First().TrimEnd('/') + "/");
        return server;
    }

    // Exported and re-imported as PFX so that SslStream on the server side can use the private key.
    internal static X509Certificate2 SelfSignedCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), password: null);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
