using Surge.Plans;
using Surge.Templating;

namespace Surge.Engine.Steps;

/// <summary>Writes a rendered line, prefixed with the VU, to the run's log (stderr from the CLI).</summary>
internal sealed class LogRunner(LogStep step, StepContext context) : IStepRunner
{
    private readonly Template _message = context.Template(step.Message, step.Location);

    public ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        vu.Scenario.Log($"[{vu.Scenario.Plan.Name} VU {vu.Id}] {_message.Render(vu.Variables)}");
        return ValueTask.CompletedTask;
    }
}
