namespace Surge.Plans;

/// <summary>Steps that run other steps and time them together: `group_duration` with a `group` tag, as in k6.</summary>
public sealed record GroupStep(string Name, IReadOnlyList<Step> Steps) : Step;

/// <summary>
/// Runs its steps <see cref="Count"/> times, or once per item of <see cref="Over"/> with the item in the variable
/// <see cref="Variable"/>.
/// </summary>
public sealed record LoopStep(IReadOnlyList<Step> Steps) : Step
{
    /// <summary>How many times the steps run, 1 by default; ignored when <see cref="Over"/> is set.</summary>
    public int Count { get; init; } = 1;

    /// <summary>Items to run the steps once for each, in order, each put in <see cref="Variable"/>; null repeats <see cref="Count"/> times.</summary>
    public IReadOnlyList<string>? Over { get; init; }

    /// <summary>The VU variable holding the current item of <see cref="Over"/> (`{{ item }}` by default, YAML's `as:`).</summary>
    public string Variable { get; init; } = "item";
}

/// <summary>Writes a templated line to the run's log, e.g. `log: "order {{ orderId }} created"`.</summary>
public sealed record LogStep(string Message) : Step;
