using System.Globalization;
using HdrHistogram;
using Surge.Plans;
using Surge.Tests.Support;

namespace Surge.Outputs.Tests;

public sealed class HdrLogOutputTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("surge-hdrlog-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string In(string name) => Path.Combine(_directory.FullName, name);

    private static List<HistogramBase> Read(string path, string tag)
    {
        using var file = File.OpenRead(path);
        using var reader = new HistogramLogReader(file);
        return [.. reader.ReadHistograms().Where(h => h.Tag == tag)];
    }

    [Fact]
    public async Task HdrHistograms_reader_finds_the_runs_request_count_and_its_p99_in_the_log()
    {
        using var server = new CannedResponseServer();
        var path = In("latency.hlog");
        using var output = HdrLogOutput.Create("hdrlog", path);

        var summary = await TestRun.RunAsync(Runs.ThreeSeconds(server, Runs.NewTestId()), new RunSettings { Outputs = [output] });

        Assert.Empty(summary.Warnings);
        var intervals = Read(path, "http_req_duration");
        Assert.True(intervals.Count >= 3, $"{intervals.Count} intervals for a 3 s run");
        var whole = new LongHistogram(1000, Metrics.Histogram.HighestTrackableValue * 1000, 3);
        foreach (var interval in intervals)
        {
            whole.Add(interval);
        }
        Assert.Equal(server.Requests, whole.TotalCount);
        var p99 = summary.Find("http_req_duration")!.Total.Stat("p(99)", summary.Duration)!.Value;
        // Both histograms keep 3 significant digits: their p99s share a cell of at most 1/1024 of the value.
        Assert.Equal(p99, whole.GetValueAtPercentile(99) / 1e6, p99 / 1000);
        Assert.Equal(server.Requests, Read(path, "iteration_duration").Sum(h => h.TotalCount));
    }

    [Fact]
    public async Task The_log_is_plain_text_with_the_header_the_java_tools_expect_and_one_interval_per_second()
    {
        using var server = new CannedResponseServer();
        var path = In("latency.hlog");
        using var output = HdrLogOutput.Create("hdrlog", path);
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE"); // a comma-decimal culture must change nothing
        try
        {
            await TestRun.RunAsync(Runs.ThreeSeconds(server, Runs.NewTestId()), new RunSettings { Outputs = [output] });
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        var bytes = await File.ReadAllBytesAsync(path);
        Assert.All(bytes, b => Assert.InRange(b, (byte)'\n', (byte)'~'));
        var lines = File.ReadAllLines(path);
        Assert.Equal("#[Histogram log format version 1.3]", lines[0]);
        Assert.Matches(@"^#\[StartTime: \d+\.\d{3} \(seconds since epoch\), \d{4}-", lines[1]);
        Assert.Matches(@"^#\[BaseTime: \d+\.\d{3} \(seconds since epoch\)\]$", lines[2]);
        Assert.Contains("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"", lines);
        var durations = lines.Where(l => l.StartsWith("Tag=http_req_duration,", StringComparison.Ordinal))
            .Select(l => l.Split(',')).ToList();
        Assert.All(durations, fields => Assert.Matches(@"^\d+\.\d{3}$", fields[1]));
        // Relative to the base time, one second apart, each a second long but the last (the run's remainder).
        var starts = durations.Select(f => double.Parse(f[1], CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(starts.Order(), starts);
        Assert.InRange(starts[0], 0, 1.5);
        Assert.All(durations.SkipLast(1), f => Assert.InRange(double.Parse(f[2], CultureInfo.InvariantCulture), 0.5, 1.5));
    }

    [Fact]
    public void A_path_that_cannot_be_written_is_an_invalid_test_naming_it()
    {
        File.WriteAllText(In("file"), "");

        var error = Assert.Throws<PlanException>(() => OutputCatalog.Create($"hdrlog={In("file")}/latency.hlog", new Dictionary<string, string>()));

        Assert.StartsWith($"-o hdrlog={In("file")}/latency.hlog: cannot write there: ", error.Message, StringComparison.Ordinal);
    }
}
