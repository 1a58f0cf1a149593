using Surge.Plans;

namespace Surge.Engine;

/// <summary>
/// How a scenario's VUs are shared out among its users (personas), exactly as the engine does it: VUs take users in
/// the order of their <see cref="WeightedCycle"/>, so 10 VUs over weights 3:1 give 8 and 2, and a user whose turn
/// does not come within the scenario's VUs gets none.
/// </summary>
internal sealed record PersonaSplit(string Scenario, int Vus, IReadOnlyList<PersonaShare> Users)
{
    /// <summary>The fewest VUs with which every user gets at least one.</summary>
    public int VusForEveryUser { get; init; }

    /// <summary>The split at the scenario's peak VUs; null for a scenario without users.</summary>
    public static PersonaSplit? Of(ScenarioPlan scenario)
    {
        if (scenario.Personas.Count == 0)
        {
            return null;
        }
        var cycle = new WeightedCycle([.. scenario.Personas.Select(p => p.Weight)]);
        var vus = scenario.Executor.PeakVus;
        var counts = cycle.CountsIn(vus);
        return new PersonaSplit(scenario.Name, vus, [.. scenario.Personas.Select((p, i) => new PersonaShare(p.Name, p.Weight, counts[i]))])
        {
            VusForEveryUser = cycle.PicksToReachAll(),
        };
    }

    /// <summary>"web 18, admin 2 (weights 9:1)".</summary>
    public override string ToString() =>
        $"{string.Join(", ", Users.Select(u => $"{u.Name} {u.Vus}"))} (weights {string.Join(':', Users.Select(u => u.Weight))})";
}

/// <summary>One user's VUs in a <see cref="PersonaSplit"/>.</summary>
internal sealed record PersonaShare(string Name, int Weight, int Vus);
