using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Surge.Outputs.Tests.Support;

/// <summary>
/// A real monitoring server (Debian's prometheus or influxd) started for one test class on a free loopback port with
/// a temporary data folder, and stopped (the process it started, by id) and cleaned up afterwards.
/// </summary>
public sealed class Backend : IDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly StringBuilder _log = new();

    private Backend(Process process, DirectoryInfo folder, int port)
    {
        _process = process;
        _folder = folder;
        Port = port;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/"), Timeout = TimeSpan.FromSeconds(10) };
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Port { get; }

    public HttpClient Client { get; }

    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Prometheus 2.x with its remote-write receiver, as the README tells users to start it.</summary>
    /// <param name="scrape">HOST:PORT of a /metrics endpoint to scrape every second, as job "surge".</param>
    public static Task<Backend> PrometheusAsync(string? scrape = null)
    {
        var folder = Directory.CreateTempSubdirectory("surge-prometheus-");
        var port = FreePort();
        var config = Path.Combine(folder.FullName, "prometheus.yml");
        File.WriteAllText(config, "global:\n  scrape_interval: 1s\n"
            + (scrape is null ? "" : $"scrape_configs:\n  - job_name: surge\n    static_configs:\n      - targets: ['{scrape}']\n"));
        return StartAsync("prometheus", folder, port, "-/ready",
            $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(folder.FullName, "data")}",
            $"--web.listen-address=127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}", "--web.enable-remote-write-receiver");
    }

    /// <summary>InfluxDB 1.x with every listener but HTTP off, and its RPC port moved off the default.</summary>
    public static Task<Backend> InfluxDbAsync()
    {
        var folder = Directory.CreateTempSubdirectory("surge-influxdb-");
        var port = FreePort();
        string Dir(string name) => Path.Combine(folder.FullName, name).Replace("\\", "/", StringComparison.Ordinal);
        var config = Path.Combine(folder.FullName, "influxdb.conf");
        File.WriteAllText(config, $"""
            reporting-disabled = true
            bind-address = "127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}"
            [meta]
              dir = "{Dir("meta")}"
            [data]
              dir = "{Dir("data")}"
              wal-dir = "{Dir("wal")}"
              query-log-enabled = false
            [monitor]
              store-enabled = false
            [http]
              bind-address = "127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"
              log-enabled = false
            """);
        return StartAsync("influxd", folder, port, "ping", "-config", config);
    }

    /// <summary>Runs a PromQL instant query and returns its vector's values, label sets included.</summary>
    public async Task<IReadOnlyList<(Dictionary<string, string> Labels, double Value)>> PromQueryAsync(string query)
    {
        var json = await Client.GetStringAsync($"api/v1/query?query={Uri.EscapeDataString(query)}");
        using var document = JsonDocument.Parse(json);
        var data = document.RootElement.GetProperty("data");
        return [.. data.GetProperty("result").EnumerateArray().Select(item => (
            item.GetProperty("metric").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
            double.Parse(item.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture)))];
    }

    /// <summary>Runs an InfluxQL query and returns the rows of its first series (column name to value).</summary>
    public async Task<IReadOnlyList<Dictionary<string, JsonElement>>> InfluxQueryAsync(string database, string query)
    {
        var json = await Client.GetStringAsync($"query?db={Uri.EscapeDataString(database)}&q={Uri.EscapeDataString(query)}");
        using var document = JsonDocument.Parse(json);
        var result = document.RootElement.GetProperty("results")[0];
        Assert.False(result.TryGetProperty("error", out var error), $"InfluxDB: {error}");
        if (!result.TryGetProperty("series", out var series))
        {
            return [];
        }
        var rows = new List<Dictionary<string, JsonElement>>();
        foreach (var s in series.EnumerateArray())
        {
            var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString()!).ToArray();
            foreach (var values in s.GetProperty("values").EnumerateArray())
            {
                rows.Add(columns.Zip(values.EnumerateArray()).ToDictionary(p => p.First, p => p.Second.Clone()));
            }
        }
        return rows;
    }

    private static async Task<Backend> StartAsync(string binary, DirectoryInfo folder, int port, string readyPath, params string[] args)
    {
        var path = Path.Combine("/usr/bin", binary);
        if (!File.Exists(path))
        {
            folder.Delete(recursive: true);
            Assert.Fail($"{path} is missing: run ./test.sh, which installs Debian's {(binary == "influxd" ? "influxdb" : binary)} package");
        }
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder.FullName };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var backend = new Backend(Process.Start(start)!, folder, port);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            Assert.False(backend._process.HasExited, $"{binary} exited at start:\n{backend.Log}");
            try
            {
                using var response = await backend.Client.GetAsync(readyPath, patience.Token);
                if (response.IsSuccessStatusCode)
                {
                    return backend;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, patience.Token);
        }
    }

    /// <summary>A loopback port nobody listens on right now.</summary>
    public static int FreePort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_log)
        {
            _log.AppendLine(line);
        }
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }
        _process.Dispose();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a dying process; the temp folder is cleaned by the system.
        }
    }
}
