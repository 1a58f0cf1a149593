namespace Surge.Plans;

/// <summary>
/// A kind of user, like a Locust user class: a scenario's VUs are shared out among its personas by
/// <see cref="Weight"/> (9:1 gives one admin per ten VUs), each VU runs its persona's <see cref="OnStart"/> once
/// (a login per user), and then every iteration runs one of its <see cref="Flows"/>, chosen by their weights.
/// </summary>
public sealed record PersonaPlan(string Name, IReadOnlyList<FlowPlan> Flows)
{
    public int Weight { get; init; } = 1;

    public IReadOnlyList<Step> OnStart { get; init; } = [];

    public SourceLocation? Location { get; init; }
}

/// <summary>One journey a persona may take in an iteration; its requests carry a `flow` tag with its name.</summary>
public sealed record FlowPlan(string Name, IReadOnlyList<Step> Steps)
{
    public int Weight { get; init; } = 1;

    public SourceLocation? Location { get; init; }
}
