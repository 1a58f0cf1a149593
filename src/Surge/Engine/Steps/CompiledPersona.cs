namespace Surge.Engine.Steps;

/// <summary>A persona ready to run: its onStart steps and its flows' steps compiled, and the weighted pick of flows.</summary>
internal sealed class CompiledPersona(IStepRunner[] onStart, IReadOnlyList<IStepRunner[]> flows, WeightedCycle flowCycle)
{
    public IStepRunner[] OnStart => onStart;

    /// <summary>The steps of the flow this iteration runs.</summary>
    public IStepRunner[] NextFlow() => flows[flowCycle.Next()];
}
