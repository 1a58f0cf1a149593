namespace Surge.SampleApi.Hosting;

/// <summary>
/// Replaces the console lifetime, which would take over Ctrl-C and SIGTERM: the sample API often runs inside another
/// program (the surge CLI, a test run) that owns those signals and stops the host by disposing it.
/// </summary>
internal sealed class NoSignalHostLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
