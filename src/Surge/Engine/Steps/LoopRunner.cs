using Surge.Plans;

namespace Surge.Engine.Steps;

/// <summary>Runs its steps a number of times, or once per list item with the item in a VU variable.</summary>
internal sealed class LoopRunner(LoopStep step, StepContext context) : IStepRunner
{
    private readonly IStepRunner[] _steps = [.. step.Steps.Select(s => StepCompiler.Compile(s, context))];

    public async ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var rounds = step.Over?.Count ?? step.Count;
        for (var round = 0; round < rounds; round++)
        {
            if (step.Over is { } items)
            {
                vu.Variables.Set(step.Variable, items[round]);
            }
            foreach (var inner in _steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await inner.RunAsync(vu, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
