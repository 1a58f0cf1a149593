using System.Threading.Channels;

namespace Surge.Results;

/// <summary>
/// Owns the run's live outputs: the interval fan-out, the wall clock, and one bounded queue per output. On the collector
/// thread it only feeds the in-process views and copies each interval once; every <see cref="IRunOutput"/> drains its
/// own queue on its own task, so a slow or dead backend never holds up the load or the threshold checks. When a queue is
/// full the oldest interval is dropped and counted. At the end each output gets a final flush, all of them together
/// bounded by <see cref="FlushTimeout"/>, and what went missing becomes a warning in the summary.
/// </summary>
internal sealed class OutputHost : IDisposable
{
    /// <summary>
    /// Intervals an output may fall behind before the oldest is dropped: 10 s at the default 1 s interval, twice what one
    /// unanswered request may take. An interval holds copies of its histograms, so the bound is also a memory bound.
    /// </summary>
    public const int QueueCapacity = 10;

    private readonly List<ILiveSink> _views;
    private readonly Lane[] _lanes;
    private readonly List<string> _warnings = [];
    private readonly CancellationTokenSource _abort = new();
    private readonly DateTimeOffset _startedAt;

    /// <param name="views">In-process sinks, fed on the collector thread.</param>
    /// <param name="outputs">Outputs, each drained from its own queue on its own task.</param>
    /// <param name="startedAt">The run's wall-clock start; an interval's time is this plus its monotonic elapsed time.</param>
    /// <param name="flushTimeout">The bound on all final flushes together; null for <see cref="OutputContext.DefaultFlushTimeout"/>.</param>
    public OutputHost(IEnumerable<ILiveSink> views, IEnumerable<IRunOutput> outputs, DateTimeOffset startedAt, TimeSpan? flushTimeout = null)
    {
        _views = [.. views];
        _startedAt = startedAt;
        FlushTimeout = flushTimeout ?? OutputContext.DefaultFlushTimeout;
        _lanes = [.. outputs.Select(output => new Lane(output, new OutputContext(startedAt, new OutputDeliveries(), FlushTimeout)))];
        foreach (var lane in _lanes)
        {
            lane.Consumer = Task.Run(() => lane.DrainAsync(_abort.Token));
        }
    }

    public TimeSpan FlushTimeout { get; }

    /// <summary>Feeds one interval: the views at once, the outputs through their queues. Never blocks on an output.</summary>
    public void Publish(LiveSnapshot snapshot)
    {
        foreach (var view in _views.ToList())
        {
            Feed(view, v => v.OnSnapshot(snapshot));
        }
        if (_lanes.Length == 0)
        {
            return;
        }
        var interval = OutputInterval.From(snapshot, _startedAt);
        foreach (var lane in _lanes)
        {
            lane.Offer(interval);
        }
    }

    /// <summary>
    /// Stops every output with a final flush, within <see cref="FlushTimeout"/> for all of them together, and returns the
    /// warnings for the summary: views that failed, batches and intervals that were not delivered.
    /// </summary>
    public async Task<IReadOnlyList<string>> StopAsync(RunSummary summary)
    {
        foreach (var lane in _lanes)
        {
            lane.Queue.Writer.TryComplete();
        }
        var stopping = _lanes.Select(lane => lane.FinishAsync(summary, _abort.Token)).ToArray();
        var all = Task.WhenAll(stopping);
        if (await Task.WhenAny(all, Task.Delay(FlushTimeout)).ConfigureAwait(false) != all)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            // Cancelled requests end at once; an output that ignores its token is left behind rather than waited for.
            await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
            foreach (var lane in _lanes.Where(l => !l.Finished))
            {
                lane.Context.Deliveries.Problem(
                    $"the final flush did not finish within {FlushTimeout.TotalSeconds:0.#} s, so what it still held was dropped");
            }
        }
        return [.. _warnings, .. _lanes.Select(l => l.Context.Deliveries.Warning(l.Output.Name)).OfType<string>()];
    }

    /// <summary>Hands the final summary, warnings included, to the views.</summary>
    public void Complete(RunSummary summary)
    {
        foreach (var view in _views.ToList())
        {
            Feed(view, v => v.OnCompleted(summary));
        }
    }

    /// <summary>Cancels whatever an output still does past its final flush.</summary>
    public void Dispose()
    {
        _abort.Cancel();
        _abort.Dispose();
    }

    /// <summary>A failing view is switched off with a warning; it must never cost the run its measurements.</summary>
    private void Feed(ILiveSink view, Action<ILiveSink> feed)
    {
        try
        {
            feed(view);
        }
        catch (Exception exception)
        {
            _views.Remove(view);
            _warnings.Add($"live output {view.GetType().Name} failed and was switched off: {exception.Message}");
        }
    }

    private sealed class Lane(IRunOutput output, OutputContext context)
    {
        public IRunOutput Output { get; } = output;

        public OutputContext Context { get; } = context;

        public Channel<OutputInterval> Queue { get; } = Channel.CreateBounded<OutputInterval>(
            new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true },
            _ => context.Deliveries.IntervalDropped());

        public Task Consumer { get; set; } = Task.CompletedTask;

        public bool Finished { get; private set; }

        public void Offer(OutputInterval interval)
        {
            Context.Deliveries.IntervalQueued();
            Queue.Writer.TryWrite(interval);
        }

        public async Task DrainAsync(CancellationToken cancellationToken)
        {
            var deliveries = Context.Deliveries;
            try
            {
                await Output.StartAsync(Context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                deliveries.Problem($"could not start ({OutputDeliveries.Reason(exception)})");
            }
            try
            {
                await foreach (var interval in Queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    try
                    {
                        await Output.WriteAsync(interval, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
                    {
                        deliveries.Drop(OutputDeliveries.Reason(exception));
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The final flush ran out of time; StopAsync reports it.
            }
        }

        public async Task FinishAsync(RunSummary summary, CancellationToken cancellationToken)
        {
            await Consumer.ConfigureAwait(false);
            try
            {
                await Output.StopAsync(summary, cancellationToken).ConfigureAwait(false);
                Finished = !cancellationToken.IsCancellationRequested;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                Context.Deliveries.Problem($"the final flush failed ({OutputDeliveries.Reason(exception)})");
                Finished = true;
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                // Reported by StopAsync as a flush that ran out of time.
            }
        }
    }
}
