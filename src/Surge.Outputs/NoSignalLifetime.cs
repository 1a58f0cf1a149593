using Microsoft.Extensions.Hosting;

namespace Surge.Outputs;

/// <summary>Keeps a web host (the dashboard, the /metrics endpoint) away from Ctrl-C and SIGTERM: the run owns them.</summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
