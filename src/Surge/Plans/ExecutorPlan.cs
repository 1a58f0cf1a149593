using Surge.Plans.Segments;
using static Surge.Plans.PlanRules;

namespace Surge.Plans;

/// <summary>An option that breaks its executor's rules: the k6 option name (e.g. "maxVUs") and why.</summary>
/// <param name="Option">The option as k6 and the YAML spell it ("vus", "maxVUs", "stages"), for pointing at it.</param>
/// <param name="Message">The whole complaint, naming the option and the value, e.g. "vus must be at least 1, got 0".</param>
public sealed record PlanProblem(string Option, string Message);

/// <summary>
/// k6's executors. Each record holds exactly the options that executor accepts, and owns k6's defaults for them and
/// the rules they must meet (<see cref="Problem"/>), like k6's executor configs: every front end (YAML, the C#
/// builder, command-line overrides) checks the same rules and reports them at its own location.
/// </summary>
public abstract record ExecutorPlan
{
    /// <summary>k6's maxDuration for the iteration executors.</summary>
    public static readonly TimeSpan DefaultMaxDuration = TimeSpan.FromMinutes(10);

    /// <summary>k6's gracefulRampDown for ramping-vus.</summary>
    public static readonly TimeSpan DefaultGracefulRampDown = TimeSpan.FromSeconds(30);

    /// <summary>k6's timeUnit for the arrival-rate executors.</summary>
    public static readonly TimeSpan DefaultTimeUnit = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The execution segment whose share of the whole this executor runs (<see cref="PlanSegments"/>): its VU and
    /// iteration counts are that share already, and what can only be shared out while running (a ramp's VUs, the data
    /// rows, the personas of VU numbers) is shared out by it. The whole test unless segmented.
    /// </summary>
    public ExecutionTuple Segment { get; init; } = ExecutionTuple.Whole;

    /// <summary>The k6 name, e.g. "constant-vus".</summary>
    public abstract string Kind { get; }

    /// <summary>The most VUs this executor can ever run at once, for pre-allocation and the summary.</summary>
    public abstract int PeakVus { get; }

    /// <summary>The longest the executor can run, excluding graceful stop.</summary>
    public abstract TimeSpan MaxDuration { get; }

    /// <summary>The first rule the options break, or null when the executor can run.</summary>
    public abstract PlanProblem? Problem();

    /// <summary>Throws the first broken rule as a plan error at <paramref name="at"/>.</summary>
    public void Validate(SourceLocation? at)
    {
        if (Problem() is { } problem)
        {
            throw new PlanException(problem.Message, at);
        }
    }

    /// <summary>maxVUs (defaulting to the VUs to begin with) must leave room for at least one VU.</summary>
    private protected static PlanProblem? RoomForVus(string startOption, int start, int max) =>
        AtLeast(startOption, start, 0)
        ?? (max < start ? new PlanProblem("maxVUs", $"maxVUs ({max}) must be at least {startOption} ({start})") : (PlanProblem?)null)
        ?? (max == 0 ? new PlanProblem("maxVUs", $"no VU could ever run: set {startOption} or maxVUs to 1 or more") : (PlanProblem?)null);

    private protected static PlanProblem? StagesProblem(IReadOnlyList<Stage> stages, bool wholeTargets)
    {
        if (stages.Count == 0)
        {
            return new("stages", "stages must list at least one stage, e.g. { duration: 30s, target: 10 }");
        }
        foreach (var stage in stages)
        {
            if ((NotNegative("stage duration", stage.Duration) ?? AtLeast("stage target", stage.Target, 0)) is { } problem)
            {
                return problem with { Option = "stages" };
            }
            if (!double.IsFinite(stage.Target) || (wholeTargets && stage.Target != Math.Floor(stage.Target)))
            {
                return new("stages", FormattableString.Invariant($"stage target must be a {(wholeTargets ? "whole number of VUs" : "finite rate")}, got {stage.Target}"));
            }
        }
        return stages.All(s => s.Duration == TimeSpan.Zero)
            ? new PlanProblem("stages", "stages last 0s in total; give at least one stage a duration")
            : null;
    }
}

/// <summary>
/// One of k6's stages: a linear ramp from where the previous stage ended (or the executor's start value) to
/// <see cref="Target"/> over <see cref="Duration"/>. A zero duration jumps to the target at once.
/// </summary>
/// <param name="Duration">How long the ramp takes; 0s or longer, and at least one stage of a list must be longer.</param>
/// <param name="Target">
/// VUs at the stage's end for ramping-vus (a whole number, 0 or more); iterations per timeUnit for ramping-arrival-rate.
/// </param>
public sealed record Stage(TimeSpan Duration, double Target);

/// <summary>
/// k6's constant-vus: <see cref="Vus"/> VUs each start their next iteration as soon as the last one ends, for
/// <see cref="Duration"/>; iterations still running then get the scenario's gracefulStop to finish.
/// </summary>
/// <param name="Vus">k6's vus: how many VUs loop at once, at least 1 (YAML's default is 1); in a segment, its share.</param>
/// <param name="Duration">k6's duration: how long new iterations start; longer than 0s.</param>
public sealed record ConstantVusExecutor(int Vus, TimeSpan Duration) : ExecutorPlan
{
    /// <inheritdoc/>
    public override string Kind => "constant-vus";

    /// <inheritdoc/>
    public override int PeakVus => Vus;

    /// <inheritdoc/>
    public override TimeSpan MaxDuration => Duration;

    /// <inheritdoc/>
    /// <remarks>vus at least 1; duration longer than 0s.</remarks>
    public override PlanProblem? Problem() => AtLeast("vus", Vus, 1) ?? Longer("duration", Duration);
}

/// <summary>
/// k6's ramping-vus: <see cref="StartVus"/> looping VUs to begin with, then as many as the <see cref="Stages"/> ramp
/// says at each moment. A VU the ramp takes away finishes its iteration, or is interrupted once it has been surplus
/// for <see cref="GracefulRampDown"/>; after the last stage the scenario's gracefulStop applies.
/// </summary>
/// <param name="StartVus">k6's startVUs: the VUs before the first stage, 0 or more (YAML's default is 1).</param>
/// <param name="Stages">k6's stages: targets in VUs, whole numbers; their durations add up to the executor's length.</param>
/// <param name="GracefulRampDown">
/// k6's gracefulRampDown: how long a VU removed by a ramp-down may finish its iteration before it is interrupted;
/// <see cref="ExecutorPlan.DefaultGracefulRampDown"/> (30s) by default in YAML and the C# builder.
/// </param>
public sealed record RampingVusExecutor(int StartVus, IReadOnlyList<Stage> Stages, TimeSpan GracefulRampDown) : ExecutorPlan
{
    /// <inheritdoc/>
    public override string Kind => "ramping-vus";

    /// <inheritdoc/>
    /// <remarks><see cref="StartVus"/> and the stage targets stay the whole test's; at every moment the segment runs its share.</remarks>
    public override int PeakVus => Segment.Scale((int)Math.Max(StartVus, Stages.Count == 0 ? 0 : Stages.Max(s => s.Target)));

    /// <summary>The stages' durations added up.</summary>
    public override TimeSpan MaxDuration => Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    /// <inheritdoc/>
    /// <remarks>
    /// startVUs 0 or more; at least one stage, each 0s or longer with a whole target of 0 or more, not all 0s long;
    /// gracefulRampDown 0s or longer; and some VU must run (startVUs or a target above 0).
    /// </remarks>
    public override PlanProblem? Problem() =>
        AtLeast("startVUs", StartVus, 0)
        ?? StagesProblem(Stages, wholeTargets: true)
        ?? NotNegative("gracefulRampDown", GracefulRampDown)
        ?? (StartVus == 0 && Stages.All(s => s.Target == 0) ? new PlanProblem("stages", "no VU would ever run: startVUs and every stage target are 0") : (PlanProblem?)null);
}

/// <summary>What an arrival-rate scenario does with an arrival that comes due while all of its maxVUs are busy.</summary>
public enum WhenAllVusBusy
{
    /// <summary>k6's behaviour: the arrival never runs and counts in dropped_iterations.</summary>
    Drop,

    /// <summary>
    /// The arrival waits, first come first served, for the next VU to finish (as wrk2 serves late rather than
    /// never); the wait counts in its iteration_start_delay and request latency. Arrivals beyond
    /// <see cref="ArrivalRateExecutor.MaxQueued"/> waiting are dropped.
    /// </summary>
    Queue,
}

/// <summary>
/// The options both open-model executors share: iterations start on a schedule, whether or not the earlier ones
/// finished, on whichever of the pre-allocated (then up to maxVUs) VUs is free.
/// </summary>
public abstract record ArrivalRateExecutor : ExecutorPlan
{
    /// <summary>The default of <see cref="MaxQueued"/>: 100,000 arrivals.</summary>
    public const int DefaultMaxQueued = 100_000;

    /// <summary>
    /// Surge's whenAllVUsBusy: what an arrival does when every VU up to maxVUs is busy; <see cref="WhenAllVusBusy.Drop"/>
    /// (k6's behaviour) by default.
    /// </summary>
    public WhenAllVusBusy WhenAllVusBusy { get; init; }

    /// <summary>With <see cref="WhenAllVusBusy.Queue"/>, the most arrivals waiting for a VU at once.</summary>
    public int MaxQueued { get; init; } = DefaultMaxQueued;

    /// <summary>
    /// Which of the whole schedule's arrivals this executor starts, striped by k6's tuple redrawn from maxVUs (so that
    /// only segments with VUs get arrivals); null when its segment has no VUs and so no arrivals. The rate and stages
    /// stay the whole test's.
    /// </summary>
    public ExecutionTuple? Arrivals { get; init; } = ExecutionTuple.Whole;
}

/// <summary>
/// k6's constant-arrival-rate (an open model): <see cref="Rate"/> iterations start every <see cref="TimeUnit"/>,
/// evenly spaced, for <see cref="Duration"/>, however long each takes; an arrival that finds all VUs busy is
/// dropped (counted in dropped_iterations) unless <see cref="ArrivalRateExecutor.WhenAllVusBusy"/> queues it.
/// </summary>
/// <param name="Rate">k6's rate: iterations started per <paramref name="TimeUnit"/>, more than 0; may be fractional.</param>
/// <param name="TimeUnit">k6's timeUnit: the period <paramref name="Rate"/> counts in; 1s (<see cref="ExecutorPlan.DefaultTimeUnit"/>) by default.</param>
/// <param name="Duration">k6's duration: how long iterations keep starting; longer than 0s.</param>
/// <param name="PreAllocatedVus">k6's preAllocatedVUs: VUs created before the start, 0 or more; in a segment, its share.</param>
/// <param name="MaxVus">
/// k6's maxVUs: the most VUs the executor may create when the pre-allocated ones are all busy; at least
/// <paramref name="PreAllocatedVus"/> and 1. YAML defaults it to preAllocatedVUs; in a segment, its share.
/// </param>
public sealed record ConstantArrivalRateExecutor(
    double Rate, TimeSpan TimeUnit, TimeSpan Duration, int PreAllocatedVus, int MaxVus) : ArrivalRateExecutor
{
    /// <inheritdoc/>
    public override string Kind => "constant-arrival-rate";

    /// <summary>maxVUs (or preAllocatedVUs, were it larger).</summary>
    public override int PeakVus => Math.Max(MaxVus, PreAllocatedVus);

    /// <inheritdoc/>
    public override TimeSpan MaxDuration => Duration;

    /// <inheritdoc/>
    /// <remarks>rate a finite number above 0; timeUnit and duration longer than 0s; preAllocatedVUs 0 or more; maxVUs at least preAllocatedVUs and 1.</remarks>
    public override PlanProblem? Problem() =>
        Positive("rate", Rate) ?? Longer("timeUnit", TimeUnit) ?? Longer("duration", Duration) ?? RoomForVus("preAllocatedVUs", PreAllocatedVus, MaxVus);
}

/// <summary>
/// k6's ramping-arrival-rate (an open model): the arrival rate starts at <see cref="StartRate"/> and follows the
/// <see cref="Stages"/> linearly, each iteration starting where the area under the rate line reaches it, however
/// long the earlier ones take; arrivals that find all VUs busy are handled as in constant-arrival-rate.
/// </summary>
/// <param name="StartRate">k6's startRate: iterations per <paramref name="TimeUnit"/> before the first stage, 0 or more (YAML's default is 0).</param>
/// <param name="TimeUnit">k6's timeUnit: the period the rates count in; 1s (<see cref="ExecutorPlan.DefaultTimeUnit"/>) by default.</param>
/// <param name="Stages">k6's stages: targets are rates in iterations per <paramref name="TimeUnit"/>; the rates stay the whole test's in a segment.</param>
/// <param name="PreAllocatedVus">k6's preAllocatedVUs: VUs created before the start, 0 or more; in a segment, its share.</param>
/// <param name="MaxVus">
/// k6's maxVUs: the most VUs the executor may create when the pre-allocated ones are all busy; at least
/// <paramref name="PreAllocatedVus"/> and 1. YAML defaults it to preAllocatedVUs; in a segment, its share.
/// </param>
public sealed record RampingArrivalRateExecutor(
    double StartRate, TimeSpan TimeUnit, IReadOnlyList<Stage> Stages, int PreAllocatedVus, int MaxVus) : ArrivalRateExecutor
{
    /// <inheritdoc/>
    public override string Kind => "ramping-arrival-rate";

    /// <summary>maxVUs (or preAllocatedVUs, were it larger).</summary>
    public override int PeakVus => Math.Max(MaxVus, PreAllocatedVus);

    /// <summary>The stages' durations added up.</summary>
    public override TimeSpan MaxDuration => Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    /// <inheritdoc/>
    /// <remarks>
    /// startRate finite and 0 or more; timeUnit longer than 0s; at least one stage, each 0s or longer with a finite target
    /// of 0 or more, not all 0s long; some rate above 0; preAllocatedVUs 0 or more; maxVUs at least preAllocatedVUs and 1.
    /// </remarks>
    public override PlanProblem? Problem() =>
        (double.IsFinite(StartRate) ? AtLeast("startRate", StartRate, 0) : new PlanProblem("startRate", "startRate must be a finite rate"))
        ?? Longer("timeUnit", TimeUnit)
        ?? StagesProblem(Stages, wholeTargets: false)
        ?? (StartRate == 0 && Stages.All(s => s.Target == 0) ? new PlanProblem("stages", "no iteration would ever start: startRate and every stage target are 0") : (PlanProblem?)null)
        ?? RoomForVus("preAllocatedVUs", PreAllocatedVus, MaxVus);
}

/// <summary>
/// k6's shared-iterations: <see cref="Vus"/> VUs take iterations from one shared count of <see cref="Iterations"/>
/// until it is used up, so a fast VU runs more of them than a slow one; <see cref="MaxDurationLimit"/> cuts the
/// scenario short. This is also what a test without any executor runs: 1 VU, 1 iteration.
/// </summary>
/// <param name="Vus">k6's vus: VUs taking iterations, at least 1 (YAML's default is 1); in a segment, its share.</param>
/// <param name="Iterations">
/// k6's iterations: iterations in total, all VUs together; at least <paramref name="Vus"/> (YAML's default is 1).
/// In a segment, its share, given only to segments that have VUs.
/// </param>
/// <param name="MaxDurationLimit">
/// k6's maxDuration: the longest the scenario may run before iterations stop starting, then gracefulStop applies;
/// <see cref="ExecutorPlan.DefaultMaxDuration"/> (10m) by default.
/// </param>
public sealed record SharedIterationsExecutor(int Vus, long Iterations, TimeSpan MaxDurationLimit) : ExecutorPlan
{
    /// <inheritdoc/>
    public override string Kind => "shared-iterations";

    /// <inheritdoc/>
    public override int PeakVus => Vus;

    /// <summary>k6's maxDuration, <see cref="MaxDurationLimit"/>: the iterations may be done long before it.</summary>
    public override TimeSpan MaxDuration => MaxDurationLimit;

    /// <inheritdoc/>
    /// <remarks>vus and iterations at least 1; maxDuration longer than 0s; iterations at least vus.</remarks>
    public override PlanProblem? Problem() =>
        AtLeast("vus", Vus, 1) ?? AtLeast("iterations", Iterations, 1) ?? Longer("maxDuration", MaxDurationLimit)
        ?? (Iterations < Vus
            ? new PlanProblem("iterations", $"iterations ({Iterations}) can't be less than vus ({Vus}) in shared-iterations: every VU needs at least one iteration")
            : (PlanProblem?)null);
}

/// <summary>
/// k6's per-vu-iterations: each of <see cref="Vus"/> VUs runs exactly <see cref="Iterations"/> iterations of its
/// own (vus × iterations in total), unless <see cref="MaxDurationLimit"/> cuts the scenario short.
/// </summary>
/// <param name="Vus">k6's vus: at least 1 (YAML's default is 1); in a segment, its share.</param>
/// <param name="Iterations">k6's iterations: iterations each VU runs, at least 1 (YAML's default is 1).</param>
/// <param name="MaxDurationLimit">
/// k6's maxDuration: the longest the scenario may run before iterations stop starting, then gracefulStop applies;
/// <see cref="ExecutorPlan.DefaultMaxDuration"/> (10m) by default.
/// </param>
public sealed record PerVuIterationsExecutor(int Vus, long Iterations, TimeSpan MaxDurationLimit) : ExecutorPlan
{
    /// <inheritdoc/>
    public override string Kind => "per-vu-iterations";

    /// <inheritdoc/>
    public override int PeakVus => Vus;

    /// <summary>k6's maxDuration, <see cref="MaxDurationLimit"/>: the iterations may be done long before it.</summary>
    public override TimeSpan MaxDuration => MaxDurationLimit;

    /// <inheritdoc/>
    /// <remarks>vus and iterations at least 1; maxDuration longer than 0s.</remarks>
    public override PlanProblem? Problem() => AtLeast("vus", Vus, 1) ?? AtLeast("iterations", Iterations, 1) ?? Longer("maxDuration", MaxDurationLimit);
}

/// <summary>
/// k6's externally-controlled: <see cref="Vus"/> looping VUs to begin with, changed while the run goes on (the live
/// dashboard, <see cref="Surge.Engine.ExternalControl"/>), never above <see cref="MaxVus"/>.
/// A <see cref="Duration"/> of zero runs until the run is stopped. It cannot be split into execution segments.
/// </summary>
/// <param name="Vus">k6's vus: looping VUs at the start, 0 or more (0 waits for the first change; YAML's default is 1).</param>
/// <param name="MaxVus">k6's maxVUs: the most VUs it may be set to, at least <paramref name="Vus"/> and 1 (YAML's default is vus).</param>
/// <param name="Duration">k6's duration: how long it runs; zero (YAML's default) runs until the run is stopped.</param>
public sealed record ExternallyControlledExecutor(int Vus, int MaxVus, TimeSpan Duration) : ExecutorPlan
{
    /// <inheritdoc/>
    public override string Kind => "externally-controlled";

    /// <summary>maxVUs: the VUs it may be set to.</summary>
    public override int PeakVus => MaxVus;

    /// <summary>Zero when the scenario runs until stopped.</summary>
    public override TimeSpan MaxDuration => Duration;

    /// <summary>True when <see cref="Duration"/> is zero: the scenario runs until the run is stopped.</summary>
    public bool RunsUntilStopped => Duration <= TimeSpan.Zero;

    /// <inheritdoc/>
    /// <remarks>vus 0 or more; maxVUs at least vus and 1; duration 0s or longer.</remarks>
    public override PlanProblem? Problem() => RoomForVus("vus", Vus, MaxVus) ?? NotNegative("duration", Duration);
}
