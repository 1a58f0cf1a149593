using Surge.Plans;

namespace Surge;

/// <summary>A kind of user: what it does once per VU (<see cref="OnStart"/>, a login), and its weighted flows.</summary>
public sealed class UserBuilder
{
    private readonly List<FlowPlan> _flows = [];
    private IReadOnlyList<Step> _onStart = [];

    /// <summary>
    /// Steps that open each of the user's VUs' first iteration, and its next ones until they once run through (a
    /// login); what they capture stays for the VU's later iterations.
    /// </summary>
    public UserBuilder OnStart(Action<GroupBuilder> configure)
    {
        var steps = new GroupBuilder();
        configure(steps);
        _onStart = steps.Build("onStart");
        return this;
    }

    /// <summary>One journey; flows run in exact proportion to their weights (3:2:1 gives 3, 2 and 1 of every 6).</summary>
    public UserBuilder Flow(string name, int weight, Action<GroupBuilder> configure)
    {
        var steps = new GroupBuilder();
        configure(steps);
        _flows.Add(new FlowPlan(name, steps.Build($"flow '{name}'"))
        {
            Weight = weight > 0 ? weight : throw new PlanException($"flow '{name}': weight must be positive"),
        });
        return this;
    }

    internal PersonaPlan Build(string name, int weight) => _flows.Count > 0
        ? new PersonaPlan(name, [.. _flows]) { Weight = weight, OnStart = _onStart }
        : throw new PlanException($"user '{name}' has no flows; add one with .Flow(name, weight, f => ...)");
}
