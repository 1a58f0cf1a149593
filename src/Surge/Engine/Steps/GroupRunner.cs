using Surge.Metrics;
using Surge.Plans;

namespace Surge.Engine.Steps;

/// <summary>k6's group: its steps record under a `group` tag ("::outer::inner"), and the whole group under group_duration.</summary>
internal sealed class GroupRunner : IStepRunner
{
    private readonly IStepRunner[] _steps;
    private readonly int _durationSeries;

    public GroupRunner(GroupStep step, StepContext context)
    {
        var outer = context.Tags["group"] ?? "";
        var inner = context with { Tags = context.Tags.With("group", $"{outer}::{step.Name}") };
        _steps = [.. step.Steps.Select(s => StepCompiler.Compile(s, inner))];
        _durationSeries = context.Scenario.Recorder.Registry.GetSeries(BuiltinMetrics.GroupDuration, inner.Tags);
    }

    public async ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        // On the scheduling clock, as iteration_duration: a group's think steps take the clock's time.
        var clock = vu.Scenario.Clock;
        var started = clock.Now;
        foreach (var step in _steps)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await step.RunAsync(vu, cancellationToken).ConfigureAwait(false);
        }
        using var writer = vu.Scenario.Recorder.BeginWrite();
        writer.AddTrendFixed(_durationSeries, MonotonicClock.ToMicroseconds(clock.Now - started));
    }
}
