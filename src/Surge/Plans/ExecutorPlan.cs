namespace Surge.Plans;

/// <summary>k6's executors. Each record holds exactly the options that executor accepts.</summary>
public abstract record ExecutorPlan
{
    /// <summary>The k6 name, e.g. "constant-vus".</summary>
    public abstract string Kind { get; }

    /// <summary>The most VUs this executor can ever run at once, for pre-allocation and the summary.</summary>
    public abstract int PeakVus { get; }

    /// <summary>The longest the executor can run, excluding graceful stop.</summary>
    public abstract TimeSpan MaxDuration { get; }
}

/// <summary>A linear ramp to <see cref="Target"/> over <see cref="Duration"/>.</summary>
public sealed record Stage(TimeSpan Duration, double Target);

public sealed record ConstantVusExecutor(int Vus, TimeSpan Duration) : ExecutorPlan
{
    public override string Kind => "constant-vus";
    public override int PeakVus => Vus;
    public override TimeSpan MaxDuration => Duration;
}

public sealed record RampingVusExecutor(int StartVus, IReadOnlyList<Stage> Stages, TimeSpan GracefulRampDown) : ExecutorPlan
{
    public override string Kind => "ramping-vus";
    public override int PeakVus => (int)Math.Max(StartVus, Stages.Count == 0 ? 0 : Stages.Max(s => s.Target));
    public override TimeSpan MaxDuration => Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);
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
}

public sealed record ConstantArrivalRateExecutor(
    double Rate, TimeSpan TimeUnit, TimeSpan Duration, int PreAllocatedVus, int MaxVus) : ArrivalRateExecutor
{
    public override string Kind => "constant-arrival-rate";
    public override int PeakVus => Math.Max(MaxVus, PreAllocatedVus);
    public override TimeSpan MaxDuration => Duration;
}

public sealed record RampingArrivalRateExecutor(
    double StartRate, TimeSpan TimeUnit, IReadOnlyList<Stage> Stages, int PreAllocatedVus, int MaxVus) : ArrivalRateExecutor
{
    public override string Kind => "ramping-arrival-rate";
    public override int PeakVus => Math.Max(MaxVus, PreAllocatedVus);
    public override TimeSpan MaxDuration => Stages.Aggregate(TimeSpan.Zero, (sum, s) => sum + s.Duration);
}

public sealed record SharedIterationsExecutor(int Vus, long Iterations, TimeSpan MaxDurationLimit) : ExecutorPlan
{
    public override string Kind => "shared-iterations";
    public override int PeakVus => Vus;
    public override TimeSpan MaxDuration => MaxDurationLimit;
}

public sealed record PerVuIterationsExecutor(int Vus, long Iterations, TimeSpan MaxDurationLimit) : ExecutorPlan
{
    public override string Kind => "per-vu-iterations";
    public override int PeakVus => Vus;
    public override TimeSpan MaxDuration => MaxDurationLimit;
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
}
