using Surge.Engine;
using Surge.Plans;

namespace Surge.Cli.Commands;

/// <summary>
/// At the start of a run: how each scenario's VUs split between its users, and a warning naming any user that gets
/// none, so that a persona that never runs is seen before the load and not guessed at from the results.
/// </summary>
public static class PersonaHeader
{
    public static void Write(TestPlan plan, TextWriter output, bool quiet)
    {
        foreach (var split in plan.Scenarios.Select(PersonaSplit.Of).OfType<PersonaSplit>())
        {
            if (!quiet)
            {
                output.WriteLine($"scenario {split.Scenario}: {split.Vus} VUs split between users: {split}");
            }
            foreach (var idle in split.Users.Where(u => u.Vus == 0))
            {
                output.WriteLine($"warning: scenario '{split.Scenario}': user '{idle.Name}' gets 0 of {split.Vus} VUs (weights {string.Join(':', split.Users.Select(u => u.Weight))}) and will not run; it needs at least {split.VusForEveryUser} VUs or a larger weight");
            }
        }
        output.Flush();
    }
}
