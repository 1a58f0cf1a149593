using Surge.Plans;

namespace Surge.Engine.Steps;

/// <summary>Turns a scenario's plan steps into runners, once, before any VU starts.</summary>
public static class StepCompiler
{
    public static IReadOnlyList<IStepRunner> Compile(ScenarioRuntime scenario) =>
        [.. scenario.Plan.Steps.Select(step => Compile(step, scenario))];

    private static IStepRunner Compile(Step step, ScenarioRuntime scenario) => step switch
    {
        RequestStep request => new RequestRunner(request, scenario),
        ThinkStep think => new ThinkRunner(think),
        _ => throw new PlanException($"steps of type {step.GetType().Name} are not supported", step.Location),
    };
}
