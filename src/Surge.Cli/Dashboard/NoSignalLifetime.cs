using Microsoft.Extensions.Hosting;

namespace Surge.Cli.Dashboard;

/// <summary>Keeps the web host away from Ctrl-C and SIGTERM: <see cref="StopSignals"/> owns them for the run.</summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
