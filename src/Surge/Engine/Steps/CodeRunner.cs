using Surge.Plans;

namespace Surge.Engine.Steps;

/// <summary>Runs a C# step with the VU's context, under the tags the step was compiled with (its group, its flow).</summary>
internal sealed class CodeRunner(CodeStep step, StepContext context) : IStepRunner
{
    public async ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var code = vu.Code;
        code.Enter(context.Tags, cancellationToken);
        vu.RunningCode = step;
        try
        {
            await step.Body(code).ConfigureAwait(false);
        }
        finally
        {
            vu.RunningCode = null;
            code.Leave();
        }
    }
}
