using System.Collections;
using Surge.Plans;

namespace Surge.Engine.Steps;

/// <summary>Turns a scenario's plan steps into runners, once, before any VU starts.</summary>
internal static class StepCompiler
{
    /// <summary>The scenario's personas; plain steps make one persona with one flow.</summary>
    public static IReadOnlyList<CompiledPersona> Compile(ScenarioRuntime scenario)
    {
        var context = new StepContext(scenario, scenario.Tags, EnvironmentFor(scenario.Engine.Environment, scenario.Plan));
        if (scenario.Plan.Personas.Count == 0)
        {
            return [new CompiledPersona([], [Compile(scenario.Plan.Steps, context)], new WeightedCycle([1]))];
        }
        // The tags are built here, once per persona and flow: requests carry `user` and `flow` at no cost per request.
        return [.. scenario.Plan.Personas.Select(persona =>
        {
            var user = context with { Tags = context.Tags.With("user", persona.Name) };
            return new CompiledPersona(
                Compile(persona.OnStart, user),
                [.. persona.Flows.Select(flow => Compile(flow.Steps, user with { Tags = user.Tags.With("flow", flow.Name) }))],
                new WeightedCycle([.. persona.Flows.Select(f => f.Weight)]));
        })];
    }

    private static IStepRunner[] Compile(IReadOnlyList<Step> steps, StepContext context) => [.. steps.Select(step => Compile(step, context))];

    internal static IStepRunner Compile(Step step, StepContext context) => step switch
    {
        RequestStep request => new RequestRunner(request, context),
        GrpcStep grpc => new GrpcRunner(grpc, context),
        ThinkStep think => new ThinkRunner(think),
        GroupStep group => new GroupRunner(group, context),
        LoopStep loop => new LoopRunner(loop, context),
        LogStep log => new LogRunner(log, context),
        CodeStep code => new CodeRunner(code, context),
        WebSocketStep webSocket => new WebSocketRunner(webSocket, context),
        _ => throw new PlanException($"steps of type {step.GetType().Name} are not supported", step.Location),
    };

    // For `{{ env("NAME") }}`: the process environment, then the run's -e / .env, then the scenario's `env`.
    private static Dictionary<string, string> EnvironmentFor(IReadOnlyDictionary<string, string> run, ScenarioPlan plan)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }
        foreach (var (name, value) in run.Concat(plan.Env))
        {
            environment[name] = value;
        }
        return environment;
    }
}
