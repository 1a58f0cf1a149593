using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Surge.Outputs;
using Surge.Plans;

namespace Surge.Cli.Dashboard;

/// <summary>
/// The small Kestrel servers a run serves beside its load (the live dashboard, the REST API): no server header,
/// routing only, out of the way of <see cref="StopSignals"/>, quick to shut down.
/// </summary>
internal static class LocalWebHost
{
    public static WebApplication Build(DashboardAddress address)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = typeof(LocalWebHost).Assembly.GetName().Name });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(address.Host, address.Port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.Replace(ServiceDescriptor.Singleton<IHostLifetime, NoSignalLifetime>());
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(2));
        return builder.Build();
    }

    /// <summary>
    /// Starts <paramref name="app"/> and returns where it listens (port 0 resolved; 0.0.0.0 shown as 127.0.0.1). A
    /// port it cannot listen on is a plan error naming <paramref name="option"/>, after <paramref name="cleanUp"/>.
    /// </summary>
    public static async Task<Uri> StartAsync(WebApplication app, DashboardAddress address, string option, Func<ValueTask> cleanUp, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        // Kestrel reports a port in use as an IOException, an address not on this machine as a SocketException.
        catch (Exception exception) when (exception is IOException or SocketException)
        {
            await cleanUp();
            throw new PlanException($"{option} {address.Host}:{address.Port.ToString(CultureInfo.InvariantCulture)}: cannot listen there: {exception.Message}");
        }
        var port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First()).Port;
        var host = address.Host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address.Host}]" : address.Host.ToString();
        return new UriBuilder(Uri.UriSchemeHttp, IPAddress.Any.Equals(address.Host) ? "127.0.0.1" : host, port, "/").Uri;
    }
}
