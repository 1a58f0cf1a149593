using System.Diagnostics;
using System.Text;

namespace Surge.Cli.Dashboard.Tests;

/// <summary>The real `surge` CLI as a child process, its stderr read line by line while it runs.</summary>
public sealed class SurgeChild : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Task<string> _stdout;
    private readonly TaskCompletionSource<string> _dashboard = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SurgeChild(Process process)
    {
        _process = process;
        _stdout = process.StandardOutput.ReadToEndAsync();
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is not { } text)
            {
                return;
            }
            lock (_stderr)
            {
                _stderr.AppendLine(text);
            }
            if (text.StartsWith("dashboard: http", StringComparison.Ordinal))
            {
                _dashboard.TrySetResult(text["dashboard: ".Length..].Trim());
            }
        };
        process.BeginErrorReadLine();
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static SurgeChild Start(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "surge.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["NO_COLOR"] = "1";
        return new SurgeChild(Process.Start(start)!);
    }

    /// <summary>The dashboard's address, once the CLI has printed it.</summary>
    public async Task<string> DashboardAsync() =>
        await _dashboard.Task.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);

    public async Task<(int ExitCode, string Stdout)> ExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return (_process.ExitCode, await _stdout.ConfigureAwait(false));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }
        _process.Dispose();
    }
}
