using System.Runtime.InteropServices;

namespace Surge.Cli;

/// <summary>
/// The first Ctrl-C (or SIGTERM) stops the run gracefully so the summary and reports are still written; a second
/// one interrupts in-flight iterations at once. The process itself is never killed mid-summary.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _hard = new();
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    public StopSignals()
    {
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Graceful => _graceful.Token;

    public CancellationToken Hard => _hard.Token;

    /// <summary>Who asked for the graceful stop when it was not a signal, as the summary says it ("from the dashboard").</summary>
    public string? StoppedBy { get; private set; }

    /// <summary>What the dashboard's stop button does: exactly the first Ctrl-C (the run ends as interrupted, exit 105).</summary>
    public void StopGracefully(string reason, string stoppedBy)
    {
        if (!_graceful.IsCancellationRequested)
        {
            Console.Error.WriteLine($"\nStopping gracefully ({reason}); press Ctrl-C to interrupt running iterations.");
            StoppedBy = stoppedBy;
            _graceful.Cancel();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (!_graceful.IsCancellationRequested)
        {
            Console.Error.WriteLine("\nStopping gracefully; press Ctrl-C again to interrupt running iterations.");
            _graceful.Cancel();
        }
        else
        {
            _hard.Cancel();
        }
    }

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _graceful.Dispose();
        _hard.Dispose();
    }
}
