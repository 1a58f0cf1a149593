using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Xunit.Abstractions;

namespace Surge.Cli.Tests;

/// <summary>
/// Separate hosts for load generators, made by the test: each is a Linux network namespace joined to this one by a veth
/// pair, with a 10.213.K.0/30 of its own (this side .1, the namespace .2). The target listens on the first host's
/// this-side address, which every namespace reaches through a route to 10.213.0.0/16 and nothing else. Where namespaces
/// cannot be made (not root, no `ip`), the hosts are loopback processes on this machine and the test output says so.
/// Everything made is removed on dispose, also after a failure.
/// </summary>
public sealed class GeneratorHosts : IDisposable
{
    private static int _created;

    private readonly List<string> _namespaces = [];
    private readonly List<string> _links = [];
    private readonly List<IPAddress> _hereAddresses = [];
    private readonly string _linkPrefix;

    public GeneratorHosts(int count, ITestOutputHelper output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sequence = Interlocked.Increment(ref _created);
        var prefix = $"surge-{Environment.ProcessId}-{sequence}";
        // Interface names have at most 15 characters.
        _linkPrefix = $"sg{Environment.ProcessId % 100000}x{sequence % 100}";
        try
        {
            Hosts = [.. Enumerable.Range(0, count).Select(i => CreateNamespace($"{prefix}-{i}", i))];
            TargetAddress = _hereAddresses[0];
            CheckEveryHostReaches(TargetAddress);
            output.WriteLine($"generator hosts: {count} network namespaces ({string.Join(", ", Hosts.Select(h => h.Address))}); target at {TargetAddress}");
        }
        catch (Exception e) when (e is InvalidOperationException or SocketException or System.ComponentModel.Win32Exception)
        {
            RemoveAll();
            Hosts = [.. Enumerable.Range(0, count).Select(_ => new Host([], IPAddress.Loopback, "127.0.0.1:0"))];
            TargetAddress = null;
            output.WriteLine($"generator hosts: network namespaces are not available here ({e.Message.Trim()}); {count} loopback processes instead");
        }
    }

    /// <summary>A generator host: the command that runs a process in it, its address, and its `--address` for the REST API.</summary>
    public sealed record Host(IReadOnlyList<string> Launcher, IPAddress Address, string ApiAddress);

    public IReadOnlyList<Host> Hosts { get; }

    /// <summary>The address the target listens on so that every host reaches it; null means loopback.</summary>
    public IPAddress? TargetAddress { get; }

    public void Dispose() => RemoveAll();

    private Host CreateNamespace(string name, int index)
    {
        var octet = FreeOctet();
        var link = $"{_linkPrefix}r{index}";
        var inside = $"{_linkPrefix}n{index}";
        var here = $"10.213.{octet}.1";
        var there = $"10.213.{octet}.2";
        Ip("netns", "add", name);
        _namespaces.Add(name);
        Ip("link", "add", link, "type", "veth", "peer", "name", inside, "netns", name);
        _links.Add(link);
        Ip("addr", "add", $"{here}/30", "dev", link);
        Ip("link", "set", link, "up");
        _hereAddresses.Add(IPAddress.Parse(here));
        Ip("-n", name, "link", "set", "lo", "up");
        Ip("-n", name, "addr", "add", $"{there}/30", "dev", inside);
        Ip("-n", name, "link", "set", inside, "up");
        Ip("-n", name, "route", "add", "10.213.0.0/16", "via", here);
        return new Host(["ip", "netns", "exec", name], IPAddress.Parse(there), $"{there}:6565");
    }

    // Namespaces can be made on machines whose firewall or policy still drops their traffic: each host opens a TCP
    // connection to the target's address before any test relies on it, or the hosts fall back to loopback.
    private void CheckEveryHostReaches(IPAddress target)
    {
        using var listener = new TcpListener(target, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        foreach (var host in Hosts)
        {
            var start = new ProcessStartInfo(host.Launcher[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in host.Launcher.Skip(1).Concat(["timeout", "5", "bash", "-c", $"exec 3<>/dev/tcp/{target}/{port}"]))
            {
                start.ArgumentList.Add(arg);
            }
            using var probe = Process.Start(start)!;
            var stderr = probe.StandardError.ReadToEnd();
            probe.WaitForExit();
            if (probe.ExitCode != 0)
            {
                throw new InvalidOperationException($"{host.Address} cannot reach {target}:{port}: {stderr}");
            }
        }
    }

    // A third octet that no address of this machine uses yet, so that parallel test runs pick different subnets.
    private static int FreeOctet()
    {
        var used = Ip("-o", "-4", "addr", "show");
        var start = Environment.ProcessId % 250;
        for (var step = 0; step < 250; step++)
        {
            var octet = 1 + (start + step) % 250;
            if (!used.Contains($"10.213.{octet.ToString(CultureInfo.InvariantCulture)}.", StringComparison.Ordinal))
            {
                return octet;
            }
        }
        throw new InvalidOperationException("no free 10.213.K.0/30 subnet");
    }

    private void RemoveAll()
    {
        // Deleting a namespace deletes the veth end inside it, and with it the pair; the link is deleted too in case the
        // namespace never got it.
        foreach (var link in _links)
        {
            TryIp("link", "del", link);
        }
        foreach (var name in _namespaces)
        {
            TryIp("netns", "del", name);
        }
        _links.Clear();
        _namespaces.Clear();
    }

    private static string Ip(params string[] args)
    {
        var (exitCode, stdout, stderr) = Run(args);
        return exitCode == 0 ? stdout : throw new InvalidOperationException($"ip {string.Join(' ', args)}: {stderr}");
    }

    private static void TryIp(params string[] args)
    {
        try
        {
            Run(args);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No `ip` at all: nothing was made.
        }
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string[] args)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var ip = Process.Start(start)!;
        var stdout = ip.StandardOutput.ReadToEndAsync();
        var stderr = ip.StandardError.ReadToEnd();
        ip.WaitForExit();
        return (ip.ExitCode, stdout.Result, stderr);
    }
}
