using Surge.Plans;
using Surge.Results;

namespace Surge;

/// <summary>Entry points of the C# API.</summary>
public static class Load
{
    /// <summary>A new, empty plan builder: <c>Load.Plan().Scenario(...).Threshold(...).Build()</c>.</summary>
    public static PlanBuilder Plan() => new();

    /// <summary>Runs the plan in this process, e.g. inside a unit test, and returns the summary to assert on.</summary>
    public static Task<RunSummary> RunAsync(this TestPlan plan, RunSettings? settings = null, CancellationToken cancellationToken = default) =>
        TestRun.RunAsync(plan, settings, cancellationToken);
}
