using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Surge.Cli.Tests;

/// <summary>
/// The real `surge` CLI as a child process, as a user or a CI job would run it; its stderr is read line by line while
/// it runs. Shared with Surge.Cli.Dashboard.Tests. A process still running when the test lets go of it is killed, so a
/// failing test cannot leave load running.
/// </summary>
public sealed class SurgeProcess : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly Task<string> _stdout;

    private SurgeProcess(Process process)
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
        };
        process.BeginErrorReadLine();
    }

    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

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

    /// <summary>Runs `surge ARGS` to its end.</summary>
    public static async Task<Outcome> RunAsync(params string[] args)
    {
        using var surge = Start(workingDirectory: null, args);
        return await surge.ExitAsync();
    }

    /// <summary>Runs `surge ARGS` to its end with these variables added to its environment.</summary>
    public static async Task<Outcome> RunWithEnvironmentAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var surge = Start(workingDirectory: null, environment, args);
        return await surge.ExitAsync();
    }

    /// <summary>
    /// Runs `surge ARGS` to its end on CPU 0 alone (taskset), in a session of its own whose scheduling weight is raised
    /// (Linux autogroup nice -20, and nice -20), so that on a busy host it still gets most of that core: what a user
    /// restricting the generator to one core would see. Where raising the weight is not allowed it runs at the normal one.
    /// </summary>
    public static async Task<Outcome> RunOnOneCoreAsync(params string[] args)
    {
        // setsid gives the child its own autogroup, so raising that group's weight touches nothing else.
        using var surge = Start(workingDirectory: null, new Dictionary<string, string>(), args,
            ["setsid", "sh", "-c", "{ echo -20 > /proc/self/autogroup; } 2>/dev/null; exec nice -n -20 taskset -c 0 \"$@\"", "sh"]);
        return await surge.ExitAsync();
    }

    public static SurgeProcess Start(string? workingDirectory, params string[] args) => Start(workingDirectory, new Dictionary<string, string>(), args);

    public static SurgeProcess Start(string? workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
        => Start(workingDirectory, environment, args, launcher: []);

    /// <summary>
    /// Starts `LAUNCHER... dotnet surge.dll ARGS`: the launcher is a command that runs the rest, e.g. `ip netns exec NAME`
    /// to run surge in a network namespace.
    /// </summary>
    public static SurgeProcess StartUnder(IReadOnlyList<string> launcher, IReadOnlyDictionary<string, string> environment, params string[] args)
        => Start(workingDirectory: null, environment, args, launcher);

    private static SurgeProcess Start(string? workingDirectory, IReadOnlyDictionary<string, string> environment, string[] args, IReadOnlyList<string> launcher)
    {
        string[] command = [.. launcher, "dotnet", Path.Combine(AppContext.BaseDirectory, "surge.dll"), .. args];
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        return new SurgeProcess(Process.Start(start)!);
    }

    /// <summary>The rest of the first stderr line that starts with <paramref name="prefix"/>, once the CLI has printed it.</summary>
    public async Task<string> StderrLineAsync(string prefix)
    {
        string? line = null;
        await WaitUntilAsync(
            () => (line = Stderr.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))) is not null,
            $"it printed '{prefix}'");
        return line![prefix.Length..].Trim();
    }

    /// <summary>Waits while the CLI runs until <paramref name="condition"/> holds; fails if it exits first or takes 30 s.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            Assert.False(_process.HasExited, $"surge exited before {what}:\n{Stderr}");
            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Sends a POSIX signal, e.g. TERM, to this surge process.</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<Outcome> ExitAsync()
    {
        using var timeout = new CancellationTokenSource(Patience);
        await _process.WaitForExitAsync(timeout.Token);
        return new Outcome(_process.ExitCode, await _stdout, Stderr);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        _process.Dispose();
    }

    /// <summary>A test file in the temporary folder: YAML unless <paramref name="extension"/> says otherwise (".cs").</summary>
    public static string WriteTestFile(string text, string extension = ".yaml")
    {
        var path = Path.Combine(Path.GetTempPath(), $"surge-test-{Guid.NewGuid():N}{extension}");
        File.WriteAllText(path, text);
        return path;
    }
}
