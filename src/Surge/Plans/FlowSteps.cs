namespace Surge.Plans;

/// <summary>Steps that run other steps and time them together: `group_duration` with a `group` tag, as in k6.</summary>
public sealed record GroupStep(string Name, IReadOnlyList<Step> Steps) : Step;

/// <summary>
/// Runs its steps <see cref="Count"/> times, or once per item of <see cref="Over"/> with the item in the variable
/// <see cref="Variable"/>.
/// </summary>
public sealed record LoopStep(IReadOnlyList<Step> Steps) : Step
{
    public int Count { get; init; } = 1;

    public IReadOnlyList<string>? Over { get; init; }

    public string Variable { get; init; } = "item";
}

/// <summary>Writes a templated line to the run's log, e.g. `log: "order {{ orderId }} created"`.</summary>
public sealed record LogStep(string Message) : Step;
