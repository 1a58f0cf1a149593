using Surge.Metrics;
using Surge.Results;

namespace Surge.Cli.Dashboard;

/// <summary>
/// The run so far, copied off one snapshot: the newest interval, the whole timeline, and a summary of the headline
/// metrics and thresholds. Immutable, so the feed can serialize it on its own thread while the run goes on.
/// </summary>
public sealed record LiveUpdate(TimelinePoint Point, RunSummary SoFar, IReadOnlyList<ScenarioProgress> Scenarios);

/// <summary>
/// The dashboard's live output. On the collector thread it only copies (a timeline point, a few merged totals) and
/// posts to the feed, which never blocks; serializing and sending happen on the feed's own task.
/// </summary>
public sealed class DashboardSink(DashboardFeed feed) : ILiveSink
{
    // What the page's headline tiles read; threshold metrics join them so observed values format with their units.
    private static readonly MetricDefinition[] Headline =
        [BuiltinMetrics.HttpReqs, BuiltinMetrics.HttpReqFailed, BuiltinMetrics.HttpReqDuration, BuiltinMetrics.DataReceived, BuiltinMetrics.DataSent];

    private TimelineRecorder? _timeline;
    private DateTimeOffset? _startedAt;

    public void OnSnapshot(LiveSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var metrics = snapshot.Metrics;
        _startedAt ??= DateTimeOffset.UtcNow - metrics.Elapsed;
        // The test's own metrics join the headline ones, so that the page charts them over time as the report does.
        var custom = metrics.Registry.Definitions.Where(d => BuiltinMetrics.Find(d.Name) is null).ToList();
        _timeline ??= new TimelineRecorder(_startedAt.Value, custom: custom);
        _timeline.Add(metrics);
        var definitions = Headline.Concat(custom)
            .Concat(snapshot.Thresholds.Select(t => metrics.Registry.Find(t.Key.Metric)).OfType<MetricDefinition>())
            .DistinctBy(d => d.Name);
        var timeline = _timeline.ToTimeline();
        var soFar = new RunSummary
        {
            StartedAt = _startedAt.Value,
            Duration = metrics.Elapsed,
            Metrics = [.. definitions.Select(d => new MetricSummary(d, metrics.Aggregate(d, TagSet.Empty), []))],
            Thresholds = snapshot.Thresholds,
            Scenarios =
            [
                .. snapshot.Scenarios.Select(s => new ScenarioSummary
                {
                    Name = s.Name,
                    Executor = s.Executor,
                    Description = s.Executor,
                    MaxVus = s.PeakVus,
                    MaxDuration = s.Duration,
                    CompletedIterations = s.CompletedIterations,
                    InterruptedIterations = s.InterruptedIterations,
                    DroppedIterations = s.DroppedIterations,
                }),
            ],
            Timeline = timeline,

            // Said as soon as it holds: the page's warnings name the span in which the generator set the pace.
            Warnings = Health.GeneratorSaturation.Describe(Health.GeneratorSaturation.Spans(timeline)) is { } saturated ? [saturated] : [],
        };
        feed.Post(new LiveUpdate(_timeline.Latest!, soFar, snapshot.Scenarios));
    }

    public void OnCompleted(RunSummary summary) => feed.Complete(summary);
}
