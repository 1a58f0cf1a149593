using System.Globalization;

namespace Surge.Metrics;

/// <summary>
/// The combined values of one metric (or one series of it) over some span of time. Each kind keeps exactly
/// what it needs to merge without loss: counters a sum, rates passes and totals, gauges last/min/max,
/// trends an HDR histogram of values in thousandths of the display unit (microseconds for time).
/// </summary>
public sealed class MetricAggregate
{
    /// <summary>Trend values are stored as fixed-point longs: display value × Scale.</summary>
    public const double TrendScale = 1000.0;

    /// <summary>An empty aggregate of <paramref name="kind"/>; a trend gets its histogram now.</summary>
    public MetricAggregate(MetricKind kind)
    {
        Kind = kind;
        Histogram = kind == MetricKind.Trend ? new Histogram() : null;
    }

    /// <summary>Which of the fields below carry the values, and how <see cref="Merge"/> combines them.</summary>
    public MetricKind Kind { get; }

    /// <summary>Counter: the sum of all samples.</summary>
    public double Sum { get; private set; }

    /// <summary>Rate: samples that were non-zero.</summary>
    public long Passes { get; private set; }

    /// <summary>Counter, rate and gauge: how many samples were added.</summary>
    public long Samples { get; private set; }

    /// <summary>Gauge: the value set last (k6's <c>value</c>); 0 before the first sample.</summary>
    public double Last { get; private set; }

    /// <summary>Gauge: when <see cref="Last"/> was set, in Stopwatch ticks of the recording machine (see <see cref="Surge.Results.RunSummary.ClockOrigin"/>); <see cref="long.MinValue"/> before the first sample.</summary>
    public long LastTimestamp { get; private set; } = long.MinValue;

    /// <summary>Gauge: the lowest value set; positive infinity before the first sample.</summary>
    public double GaugeMin { get; private set; } = double.PositiveInfinity;

    /// <summary>Gauge: the highest value set; negative infinity before the first sample.</summary>
    public double GaugeMax { get; private set; } = double.NegativeInfinity;

    /// <summary>Trend: every value recorded, fixed-point (value × <see cref="TrendScale"/>, so microseconds for time); null for the other kinds.</summary>
    public Histogram? Histogram { get; }

    /// <summary>True when nothing was recorded: no trend value, or no counter, rate or gauge sample.</summary>
    public bool IsEmpty => Kind == MetricKind.Trend ? Histogram!.TotalCount == 0 : Samples == 0;

    /// <summary>
    /// True when the statistic has no value for want of samples: a rate, a gauge or a trend statistic over nothing.
    /// A counter's count and rate, and a trend's count, are 0 on no samples, which is a reading.
    /// </summary>
    public bool HasNoDataFor(string stat) => IsEmpty && Kind switch
    {
        MetricKind.Counter => false,
        MetricKind.Trend => stat != "count",
        _ => true,
    };

    /// <summary>Counter: adds <paramref name="value"/> to <see cref="Sum"/> (1 per request, bytes for data_sent...).</summary>
    public void AddCounter(double value)
    {
        Sum += value;
        Samples++;
    }

    /// <summary>Rate: adds <paramref name="count"/> samples, all passes when <paramref name="passed"/> is true.</summary>
    public void AddRate(bool passed, long count = 1)
    {
        if (passed)
        {
            Passes += count;
        }
        Samples += count;
    }

    /// <summary>
    /// Gauge: sets the value taken at <paramref name="timestamp"/> (Stopwatch ticks). It becomes <see cref="Last"/> unless a
    /// later one was already set, so samples may arrive out of order; min and max see every value.
    /// </summary>
    public void SetGauge(double value, long timestamp)
    {
        if (timestamp >= LastTimestamp)
        {
            Last = value;
            LastTimestamp = timestamp;
        }
        GaugeMin = Math.Min(GaugeMin, value);
        GaugeMax = Math.Max(GaugeMax, value);
        Samples++;
    }

    /// <summary>Trend: records <paramref name="value"/> in the display unit (milliseconds for time); negatives count as 0, precision is 1/1000 of the unit.</summary>
    public void AddTrend(double value) => Histogram!.Record(ToFixed(value));

    /// <summary>A display-unit value as the histogram stores it: × <see cref="TrendScale"/>, rounded, negatives as 0.</summary>
    public static long ToFixed(double value) => (long)Math.Round(Math.Max(0, value) * TrendScale);

    /// <summary>
    /// Adds <paramref name="other"/> into this one without loss, as intervals join and machines merge: sums, passes, samples
    /// and histograms add; a gauge keeps the later of the two last values (by <see cref="LastTimestamp"/>) and the extremes.
    /// </summary>
    /// <exception cref="InvalidOperationException">The two are of different kinds.</exception>
    public void Merge(MetricAggregate other)
    {
        if (other.Kind != Kind)
        {
            throw new InvalidOperationException($"cannot merge a {other.Kind} into a {Kind}");
        }
        Sum += other.Sum;
        Passes += other.Passes;
        Samples += other.Samples;
        if (other.Samples > 0 && Kind == MetricKind.Gauge)
        {
            if (other.LastTimestamp >= LastTimestamp)
            {
                Last = other.Last;
                LastTimestamp = other.LastTimestamp;
            }
            GaugeMin = Math.Min(GaugeMin, other.GaugeMin);
            GaugeMax = Math.Max(GaugeMax, other.GaugeMax);
        }
        Histogram?.Add(other.Histogram!);
    }

    /// <summary>Back to empty, keeping the histogram's memory, so that a recycled aggregate allocates nothing.</summary>
    public void Clear()
    {
        Sum = 0;
        Passes = 0;
        Samples = 0;
        Last = 0;
        LastTimestamp = long.MinValue;
        GaugeMin = double.PositiveInfinity;
        GaugeMax = double.NegativeInfinity;
        Histogram?.Clear();
    }

    /// <summary>An independent copy, e.g. to keep an interval's values after the snapshot that lent them is reused.</summary>
    public MetricAggregate Copy()
    {
        var copy = new MetricAggregate(Kind);
        copy.Merge(this);
        return copy;
    }

    /// <summary>
    /// One statistic by k6's name: count, rate, value, avg, min, med, max, p(N). Null when the statistic does not
    /// apply to this kind or there is no data. <paramref name="elapsed"/> turns a counter into a per-second rate.
    /// </summary>
    public double? Stat(string name, TimeSpan elapsed)
    {
        switch (Kind)
        {
            case MetricKind.Counter:
                return name switch
                {
                    "count" => Sum,
                    "rate" => elapsed > TimeSpan.Zero ? Sum / elapsed.TotalSeconds : 0,
                    _ => null,
                };
            case MetricKind.Rate:
                return name switch
                {
                    "rate" => Samples == 0 ? 0 : (double)Passes / Samples,
                    "passes" => Passes,
                    "fails" => Samples - Passes,
                    "count" => Samples,
                    _ => null,
                };
            case MetricKind.Gauge:
                if (Samples == 0)
                {
                    return name is "value" or "min" or "max" ? 0 : null;
                }
                return name switch
                {
                    "value" => Last,
                    "min" => GaugeMin,
                    "max" => GaugeMax,
                    _ => null,
                };
            default:
                return TrendStat(name);
        }
    }

    private double? TrendStat(string name)
    {
        var h = Histogram!;
        if (name == "count")
        {
            return h.TotalCount;
        }
        if (!IsTrendStat(name))
        {
            return null;
        }
        if (h.TotalCount == 0)
        {
            return 0;
        }
        return name switch
        {
            "avg" => h.Mean / TrendScale,
            "min" => h.Min / TrendScale,
            "max" => h.Max / TrendScale,
            "med" => h.ValueAtPercentile(50) / TrendScale,
            _ => h.ValueAtPercentile(ParsePercentile(name)!.Value) / TrendScale,
        };
    }

    /// <summary>True for avg, min, med, max, count and p(N) with 0 ≤ N ≤ 100.</summary>
    public static bool IsTrendStat(string name) =>
        name is "avg" or "min" or "med" or "max" or "count" || ParsePercentile(name) is not null;

    /// <summary>The N of "p(N)", or null when the name is not a valid percentile.</summary>
    public static double? ParsePercentile(string name)
    {
        if (!name.StartsWith("p(", StringComparison.Ordinal) || !name.EndsWith(')'))
        {
            return null;
        }
        return double.TryParse(name.AsSpan(2, name.Length - 3), NumberStyles.Float, CultureInfo.InvariantCulture, out var p)
            && p >= 0 && p <= 100 ? p : null;
    }

    /// <summary>
    /// Rebuilds an aggregate from the state its properties expose (e.g. read back from a result file), so that
    /// storing and restoring loses nothing. <paramref name="histogram"/> is required for trends and ignored otherwise.
    /// </summary>
    public static MetricAggregate Restore(
        MetricKind kind, double sum, long passes, long samples, double last, long lastTimestamp, double gaugeMin,
        double gaugeMax, Histogram? histogram)
    {
        var aggregate = new MetricAggregate(kind)
        {
            Sum = sum,
            Passes = passes,
            Samples = samples,
            Last = last,
            LastTimestamp = lastTimestamp,
            GaugeMin = gaugeMin,
            GaugeMax = gaugeMax,
        };
        if (kind == MetricKind.Trend)
        {
            ArgumentNullException.ThrowIfNull(histogram);
            aggregate.Histogram!.Add(histogram);
        }
        return aggregate;
    }

    /// <summary>The statistics that thresholds may use on a metric of this kind.</summary>
    public static bool IsValidStat(MetricKind kind, string name) => kind switch
    {
        MetricKind.Counter => name is "count" or "rate",
        MetricKind.Rate => name is "rate",
        MetricKind.Gauge => name is "value" or "min" or "max",
        _ => IsTrendStat(name),
    };
}
