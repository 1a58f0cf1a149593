using Surge.Plans.Segments;
using static Surge.Plans.PlanRules;

namespace Surge.Plans;

/// <summary>An option that breaks its executor's rules: the k6 option name (e.g. "maxVUs") and why.</summary>
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

/// <summary>A linear ramp to <see cref="Target"/> over <see cref="Duration"/>.</summary>
public sealed record Stage(TimeSpan Duration, double Target);

public sealed record ConstantVusExecutor(int Vus, TimeSpan Duration) : ExecutorPlan
{
    public override string Kind => "constant-vus";
    public override int PeakVus => Vus;
    public override TimeSpan MaxDuration => Duration;

    public override PlanProblem? Problem() => AtLeast("vus", Vus, 1) ?? Longer("duration", Duration);
}

public sealed record RampingVusExecutor(int StartVus, IReadOnlyList<Stage> Stages, TimeSpan GracefulRampDown) : ExecutorPlan
{
    public override string Kind => "ramping-vus";
    /// <remarks><see cref="StartVus"/> and the stage targets stay the whole test's; at every moment the segment runs its share.</remarks>
    public override int PeakVus => Segment.Scale((int)Math.Max(StartVus, Stages.Count == 0 ? 0 : Stages.Max(s => s.Target)));
    public override TimeSpan MaxDuration => Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

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

/// <summary>The options both open-model executors share.</summary>
public abstract record ArrivalRateExecutor : ExecutorPlan
{
    public const int DefaultMaxQueued = 100_000;

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

public sealed record ConstantArrivalRateExecutor(
    double Rate, TimeSpan TimeUnit, TimeSpan Duration, int PreAllocatedVus, int MaxVus) : ArrivalRateExecutor
{
    public override string Kind => "constant-arrival-rate";
    public override int PeakVus => Math.Max(MaxVus, PreAllocatedVus);
    public override TimeSpan MaxDuration => Duration;

    public override PlanProblem? Problem() =>
        Positive("rate", Rate) ?? Longer("timeUnit", TimeUnit) ?? Longer("duration", Duration) ?? RoomForVus("preAllocatedVUs", PreAllocatedVus, MaxVus);
}

public sealed record RampingArrivalRateExecutor(
    double StartRate, TimeSpan TimeUnit, IReadOnlyList<Stage> Stages, int PreAllocatedVus, int MaxVus) : ArrivalRateExecutor
{
    public override string Kind => "ramping-arrival-rate";
    public override int PeakVus => Math.Max(MaxVus, PreAllocatedVus);
    public override TimeSpan MaxDuration => Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);

    public override PlanProblem? Problem() =>
        (double.IsFinite(StartRate) ? AtLeast("startRate", StartRate, 0) : new PlanProblem("startRate", "startRate must be a finite rate"))
        ?? Longer("timeUnit", TimeUnit)
        ?? StagesProblem(Stages, wholeTargets: false)
        ?? (StartRate == 0 && Stages.All(s => s.Target == 0) ? new PlanProblem("stages", "no iteration would ever start: startRate and every stage target are 0") : (PlanProblem?)null)
        ?? RoomForVus("preAllocatedVUs", PreAllocatedVus, MaxVus);
}

public sealed record SharedIterationsExecutor(int Vus, long Iterations, TimeSpan MaxDurationLimit) : ExecutorPlan
{
    public override string Kind => "shared-iterations";
    public override int PeakVus => Vus;
    public override TimeSpan MaxDuration => MaxDurationLimit;

    public override PlanProblem? Problem() =>
        AtLeast("vus", Vus, 1) ?? AtLeast("iterations", Iterations, 1) ?? Longer("maxDuration", MaxDurationLimit)
        ?? (Iterations < Vus
            ? new PlanProblem("iterations", $"iterations ({Iterations}) can't be less than vus ({Vus}) in shared-iterations: every VU needs at least one iteration")
            : (PlanProblem?)null);
}

public sealed record PerVuIterationsExecutor(int Vus, long Iterations, TimeSpan MaxDurationLimit) : ExecutorPlan
{
    public override string Kind => "per-vu-iterations";
    public override int PeakVus => Vus;
    public override TimeSpan MaxDuration => MaxDurationLimit;

    public override PlanProblem? Problem() => AtLeast("vus", Vus, 1) ?? AtLeast("iterations", Iterations, 1) ?? Longer("maxDuration", MaxDurationLimit);
}

/// <summary>
/// k6's externally-controlled: <see cref="Vus"/> looping VUs to begin with, changed while the run goes on (the live
/// dashboard, <see cref="Surge.Engine.ExternalControl"/>), never above <see cref="MaxVus"/>.
/// A <see cref="Duration"/> of zero runs until the run is stopped.
/// </summary>
public sealed record ExternallyControlledExecutor(int Vus, int MaxVus, TimeSpan Duration) : ExecutorPlan
{
    public override string Kind => "externally-controlled";
    public override int PeakVus => MaxVus;

    /// <summary>Zero when the scenario runs until stopped.</summary>
    public override TimeSpan MaxDuration => Duration;

    public bool RunsUntilStopped => Duration <= TimeSpan.Zero;

    public override PlanProblem? Problem() => RoomForVus("vus", Vus, MaxVus) ?? NotNegative("duration", Duration);
}
