namespace Surge.Metrics;

// CONTRACT STUB: the histogram helper replaces every body below; signatures are fixed.
public sealed class Histogram
{
    public const long HighestTrackableValue = 1L << 42;

    public long TotalCount => throw new NotImplementedException();

    public long Min => throw new NotImplementedException();

    public long Max => throw new NotImplementedException();

    public long Sum => throw new NotImplementedException();

    public double Mean => throw new NotImplementedException();

    public void Record(long value) => throw new NotImplementedException();

    public void RecordCount(long value, long count) => throw new NotImplementedException();

    public long ValueAtPercentile(double percentile) => throw new NotImplementedException();

    public void Add(Histogram other) => throw new NotImplementedException();

    public void Clear() => throw new NotImplementedException();

    public Histogram Copy() => throw new NotImplementedException();

    public IEnumerable<HistogramBucket> NonEmptyBuckets() => throw new NotImplementedException();

    public string ToBase64() => throw new NotImplementedException();

    public static Histogram FromBase64(string encoded) => throw new NotImplementedException();
}

public readonly record struct HistogramBucket(long LowestValue, long HighestValue, long Count);
