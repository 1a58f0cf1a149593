using Surge.Metrics;

namespace Surge.Engine;

/// <summary>What every scenario of one run shares: the recorder, the run's tags and the global VU numbering.</summary>
public sealed class EngineContext
{
    private int _nextVuId;

    public EngineContext(MetricsRecorder recorder, TagSet runTags, CancellationToken hardStop)
    {
        Recorder = recorder;
        RunTags = runTags;
        HardStop = hardStop;
    }

    public MetricsRecorder Recorder { get; }

    public TagSet RunTags { get; }

    /// <summary>Cancelled when in-flight iterations must end at once (a second Ctrl-C, an aborting threshold).</summary>
    public CancellationToken HardStop { get; }

    internal int NextVuId() => Interlocked.Increment(ref _nextVuId);
}
