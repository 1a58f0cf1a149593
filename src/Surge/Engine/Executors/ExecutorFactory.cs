using Surge.Plans;

namespace Surge.Engine.Executors;

internal static class ExecutorFactory
{
    public static IExecutor Create(ExecutorPlan plan) => plan switch
    {
        ConstantVusExecutor p => new ConstantVus(p),
        RampingVusExecutor p => new RampingVus(p),
        ConstantArrivalRateExecutor p => new ArrivalRate(ArrivalSchedule.Constant(p), p.PreAllocatedVus, p.PeakVus, p.WhenAllVusBusy, p.MaxQueued),
        RampingArrivalRateExecutor p => new ArrivalRate(ArrivalSchedule.Ramping(p), p.PreAllocatedVus, p.PeakVus, p.WhenAllVusBusy, p.MaxQueued),
        SharedIterationsExecutor p => new SharedIterations(p),
        PerVuIterationsExecutor p => new PerVuIterations(p),
        ExternallyControlledExecutor p => new ExternallyControlled(p),
        _ => throw new ArgumentException($"no executor for {plan.Kind}", nameof(plan)),
    };
}
