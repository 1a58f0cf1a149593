namespace Surge.Metrics;

/// <summary>
/// Lock-free recording from many threads, collected off the hot path. Each thread writes into its own shard, which
/// holds two buffers: writers fill the active one while the collector swaps in the standby, waits for the one write
/// that may still be in flight on the old buffer, merges it into interval and running totals, clears it and keeps it
/// for the next swap. Steady-state recording allocates nothing and takes no lock.
/// </summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MetricRegistry _registry;
    [ThreadStatic]
    private static MetricsRecorder? t_recorder;
    [ThreadStatic]
    private static Shard? t_shard;

    private readonly ThreadLocal<Shard> _shards = new(() => new Shard(), trackAllValues: true);
    private readonly Lock _collectLock = new();
    private MetricAggregate?[] _totals = [];
    private MetricAggregate?[] _interval = [];

    public MetricsRecorder(MetricRegistry registry)
    {
        _registry = registry;
    }

    public MetricRegistry Registry => _registry;

    /// <summary>Opens a write on this thread's shard. Dispose it before the next await.</summary>
    public SampleWriter BeginWrite()
    {
        // Most threads write to one recorder: remembering its shard skips the ThreadLocal lookup.
        var shard = t_recorder == this ? t_shard! : CacheShard();
        Interlocked.Exchange(ref shard.Writing, 1);
        return new SampleWriter(shard, Volatile.Read(ref shard.Active), _registry);
    }

    private Shard CacheShard()
    {
        t_recorder = this;
        return t_shard = _shards.Value!;
    }

    /// <summary>
    /// Moves everything recorded since the last call into the running totals and into a fresh interval view.
    /// The returned snapshot stays valid until the next call.
    /// </summary>
    public MetricsSnapshot Collect(TimeSpan elapsed, TimeSpan intervalLength)
    {
        lock (_collectLock)
        {
            var seriesCount = _registry.SeriesCount;
            EnsureLength(ref _totals, seriesCount);
            EnsureLength(ref _interval, seriesCount);
            foreach (var aggregate in _interval)
            {
                aggregate?.Clear();
            }
            foreach (var shard in _shards.Values)
            {
                var filled = Interlocked.Exchange(ref shard.Active, shard.Standby);
                var spin = new SpinWait();
                while (Volatile.Read(ref shard.Writing) != 0)
                {
                    spin.SpinOnce();
                }
                MergeInto(filled);
                shard.Standby = filled;
            }
            return new MetricsSnapshot(_registry, _totals, _interval, elapsed, intervalLength);
        }
    }

    private void MergeInto(ShardBuffer filled)
    {
        var values = filled.Values;
        for (var id = 0; id < values.Length; id++)
        {
            var aggregate = values[id];
            if (aggregate is null || aggregate.IsEmpty)
            {
                continue;
            }
            EnsureLength(ref _totals, id + 1);
            EnsureLength(ref _interval, id + 1);
            var kind = aggregate.Kind;
            (_totals[id] ??= new MetricAggregate(kind)).Merge(aggregate);
            (_interval[id] ??= new MetricAggregate(kind)).Merge(aggregate);
            aggregate.Clear();
        }
    }

    private static void EnsureLength(ref MetricAggregate?[] array, int length)
    {
        if (array.Length < length)
        {
            Array.Resize(ref array, Math.Max(length, array.Length * 2));
        }
    }

    public void Dispose() => _shards.Dispose();

    internal sealed class Shard
    {
        public ShardBuffer Active = new();
        public ShardBuffer Standby = new();
        public int Writing;
    }

    internal sealed class ShardBuffer
    {
        public MetricAggregate?[] Values = new MetricAggregate?[64];
    }
}

/// <summary>One thread's open write. Record any number of samples, then dispose, all without awaiting.</summary>
internal ref struct SampleWriter
{
    private readonly MetricsRecorder.Shard _shard;
    private readonly MetricsRecorder.ShardBuffer _buffer;
    private readonly MetricRegistry _registry;

    internal SampleWriter(MetricsRecorder.Shard shard, MetricsRecorder.ShardBuffer buffer, MetricRegistry registry)
    {
        _shard = shard;
        _buffer = buffer;
        _registry = registry;
    }

    public readonly void AddCounter(int series, double value) => Get(series).AddCounter(value);

    public readonly void AddRate(int series, bool nonZero) => Get(series).AddRate(nonZero);

    /// <summary>Adds a trend value already in fixed point (display unit × 1000, i.e. microseconds for time).</summary>
    public readonly void AddTrendFixed(int series, long value) => Get(series).Histogram!.Record(value);

    public readonly void AddTrend(int series, double value) => Get(series).AddTrend(value);

    public readonly void SetGauge(int series, double value) =>
        Get(series).SetGauge(value, System.Diagnostics.Stopwatch.GetTimestamp());

    private readonly MetricAggregate Get(int series)
    {
        var values = _buffer.Values;
        if ((uint)series < (uint)values.Length && values[series] is { } existing)
        {
            return existing;
        }
        return Create(series);
    }

    private readonly MetricAggregate Create(int series)
    {
        if (series >= _buffer.Values.Length)
        {
            Array.Resize(ref _buffer.Values, Math.Max(series + 1, _buffer.Values.Length * 2));
        }
        var aggregate = new MetricAggregate(_registry.GetSeriesInfo(series).Metric.Kind);
        _buffer.Values[series] = aggregate;
        return aggregate;
    }

    public readonly void Dispose() => Volatile.Write(ref _shard.Writing, 0);
}
