namespace Surge.Plans;

/// <summary>
/// A kind of user, like a Locust user class: a scenario's VUs are shared out among its personas by
/// <see cref="Weight"/> (9:1 gives one admin per ten VUs), each VU runs its persona's <see cref="OnStart"/> once
/// (a login per user), and then every iteration runs one of its <see cref="Flows"/>, chosen by their weights.
/// </summary>
/// <param name="Name">The persona's name, the `user` tag of its samples.</param>
/// <param name="Flows">The journeys its iterations choose from; at least one.</param>
public sealed record PersonaPlan(string Name, IReadOnlyList<FlowPlan> Flows)
{
    /// <summary>
    /// Its share of the scenario's VUs against the other personas' weights, 1 by default, at least 1. VUs take
    /// personas in a fixed weighted order, so 10 VUs over 3:1 give 8 and 2, and a persona whose turn comes after the
    /// last VU gets none.
    /// </summary>
    public int Weight { get; init; } = 1;

    /// <summary>
    /// Steps that open a VU's first iteration, and its next ones until they once run through (a login); their captures
    /// stay for the VU's later iterations. Empty by default.
    /// </summary>
    public IReadOnlyList<Step> OnStart { get; init; } = [];

    /// <summary>Where the persona was written, for errors about it; null when unknown.</summary>
    public SourceLocation? Location { get; init; }
}

/// <summary>One journey a persona may take in an iteration; its requests carry a `flow` tag with its name.</summary>
/// <param name="Name">The flow's name, the `flow` tag of its samples.</param>
/// <param name="Steps">What an iteration that takes this flow runs.</param>
public sealed record FlowPlan(string Name, IReadOnlyList<Step> Steps)
{
    /// <summary>How often the flow runs against its persona's other flows, in exact proportion (3:2:1 gives 3, 2 and 1 of every 6); 1 by default.</summary>
    public int Weight { get; init; } = 1;

    /// <summary>Where the flow was written, for errors about it; null when unknown.</summary>
    public SourceLocation? Location { get; init; }
}
