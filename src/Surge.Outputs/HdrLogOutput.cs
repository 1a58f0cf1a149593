using System.Globalization;
using System.Text;
using HdrHistogram;
using HdrHistogram.Utilities;
using Surge.Metrics;
using Surge.Results;

namespace Surge.Outputs;

/// <summary>
/// `-o hdrlog=FILE`: every time trend (http_req_duration, the other http_req_* timings, iteration_duration, custom
/// time trends) as an HdrHistogram interval log, one histogram per metric and interval (a second by default), all
/// series of a metric merged and the metric's name in the line's tag, so HistogramLogProcessor, HistogramLogAnalyzer
/// and the plotters read it (`-tag http_req_duration`). Values are nanoseconds, the unit those tools assume by
/// default. The histograms and their compressed encoding are HdrHistogram's own; the text around them is written
/// here because the package's writer writes UTF-16 in the current culture and no base time, which the Java tools
/// cannot read. Surge's histogram cells convert exactly into HdrHistogram's (both keep 3 significant digits):
/// each cell is recorded at its highest value, as Surge reports percentiles.
/// </summary>
public sealed class HdrLogOutput : IRunOutput, IDisposable
{
    /// <summary>Surge's largest value (about 51 days in ms × 1000) in nanoseconds, so nothing is clamped twice.</summary>
    private const long HighestNanoseconds = Histogram.HighestTrackableValue * NanosecondsPerUnit;

    // Surge keeps time trends in fixed point: milliseconds × 1000, so one unit is a microsecond.
    private const long NanosecondsPerUnit = 1000;

    private readonly StreamWriter _log;
    private readonly Dictionary<string, LongHistogram> _histograms = new(StringComparer.Ordinal);
    private ByteBuffer _buffer = ByteBuffer.Allocate(1024);
    private bool _closed;

    private HdrLogOutput(string name, Stream file)
    {
        Name = name;
        _log = new StreamWriter(file, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
    }

    /// <summary>The name the output goes by in the warnings about its deliveries, e.g. "hdrlog".</summary>
    public string Name { get; }

    /// <summary>Creates (or truncates) the file, and its folder if need be; the output owns and closes it.</summary>
    public static HdrLogOutput Create(string name, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }
        return new HdrLogOutput(name, new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read));
    }

    /// <summary>Writes the log's header, with the run's wall-clock start as its start and base time.</summary>
    public async Task StartAsync(OutputContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var start = Seconds(context.StartedAt.ToUnixTimeMilliseconds() / 1000.0);
        await _log.WriteLineAsync("#[Histogram log format version 1.3]").ConfigureAwait(false);
        await _log.WriteLineAsync($"#[StartTime: {start} (seconds since epoch), {context.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}]").ConfigureAwait(false);
        await _log.WriteLineAsync($"#[BaseTime: {start} (seconds since epoch)]").ConfigureAwait(false);
        await _log.WriteLineAsync("#[Written by Surge: one histogram per time trend and interval, tagged with the metric; values in nanoseconds]").ConfigureAwait(false);
        await _log.WriteLineAsync("\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\",\"Interval_Compressed_Histogram\"").ConfigureAwait(false);
        await _log.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// One line per time trend seen so far: an interval without values for it still gets its (empty) histogram, so a
    /// plot shows the gap rather than joining across it.
    /// </summary>
    public async Task WriteAsync(OutputInterval interval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(interval);
        foreach (var histogram in _histograms.Values)
        {
            histogram.Reset();
        }
        foreach (var series in interval.Series)
        {
            if (series.Metric is not { Kind: MetricKind.Trend, Contains: MetricContains.Time } || series.Values.Histogram is not { } values)
            {
                continue;
            }
            if (!_histograms.TryGetValue(series.Metric.Name, out var histogram))
            {
                histogram = new LongHistogram(NanosecondsPerUnit, HighestNanoseconds, 3) { Tag = TagOf(series.Metric.Name) };
                _histograms.Add(series.Metric.Name, histogram);
            }
            foreach (var cell in values.NonEmptyBuckets())
            {
                histogram.RecordValueWithCount(Math.Clamp(cell.HighestValue, values.Min, values.Max) * NanosecondsPerUnit, cell.Count);
            }
        }
        var start = Seconds((interval.Elapsed - interval.Length).TotalSeconds);
        var length = Seconds(interval.Length.TotalSeconds);
        foreach (var histogram in _histograms.Values)
        {
            var max = Seconds(histogram.TotalCount == 0 ? 0 : histogram.GetMaxValue() / 1e6);
            await _log.WriteLineAsync($"Tag={histogram.Tag},{start},{length},{max},{Encode(histogram)}").ConfigureAwait(false);
        }
        await _log.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushes and closes the file.</summary>
    public async Task StopAsync(RunSummary summary, CancellationToken cancellationToken)
    {
        await _log.FlushAsync(cancellationToken).ConfigureAwait(false);
        Close();
    }

    private string Encode(LongHistogram histogram)
    {
        var needed = histogram.GetNeededByteBufferCapacity();
        if (_buffer.Capacity() < needed)
        {
            _buffer = ByteBuffer.Allocate(needed);
        }
        _buffer.Position = 0;
        var length = histogram.EncodeIntoCompressedByteBuffer(_buffer);
        var bytes = new byte[length];
        _buffer.Position = 0;
        for (var i = 0; i < length; i++)
        {
            bytes[i] = _buffer.Get();
        }
        return Convert.ToBase64String(bytes);
    }

    // The log's tag ends at a comma and its lines at white space; metric names rarely hold either.
    private static string TagOf(string metric) =>
        string.Concat(metric.Select(c => c == ',' || char.IsWhiteSpace(c) ? '_' : c));

    private static string Seconds(double seconds) => seconds.ToString("F3", CultureInfo.InvariantCulture);

    private void Close()
    {
        if (!_closed)
        {
            _closed = true;
            _log.Dispose();
        }
    }

    /// <summary>Closes the file if <see cref="StopAsync"/> did not.</summary>
    public void Dispose() => Close();
}
