using System.Diagnostics;

namespace Surge.Cli.Tests;

/// <summary>Runs the real `surge` CLI as a child process, as a user or a CI job would.</summary>
public static class SurgeProcess
{
    private static int _lastPid;

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    /// <summary>Sends a POSIX signal to the most recently started surge process.</summary>
    public static void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, Volatile.Read(ref _lastPid).ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public static async Task<Outcome> RunAsync(params string[] args)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "surge.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(cli);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        Volatile.Write(ref _lastPid, process.Id);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Outcome(process.ExitCode, await stdout, await stderr);
    }

    public static string WriteTestFile(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"surge-test-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
