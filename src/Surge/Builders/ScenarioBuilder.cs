using System.Runtime.CompilerServices;
using Surge.Plans;

namespace Surge;

/// <summary>One scenario: its executor and either its steps or its kinds of users (<see cref="User"/>).</summary>
public sealed class ScenarioBuilder : StepsBuilder<ScenarioBuilder>
{
    private readonly string _name;
    private readonly SourceLocation? _location;
    private readonly IReadOnlyDictionary<string, DataSourcePlan> _dataSources;
    private readonly List<PersonaPlan> _personas = [];
    private readonly Dictionary<string, string> _tags = new(StringComparer.Ordinal);
    private ExecutorPlan? _executor;
    private DataSourcePlan? _data;
    private TimeSpan _startTime;
    private TimeSpan _gracefulStop = ScenarioPlan.DefaultGracefulStop;

    internal ScenarioBuilder(string name, IReadOnlyDictionary<string, DataSourcePlan> dataSources, SourceLocation? location)
    {
        _name = name;
        _dataSources = dataSources;
        _location = location;
    }

    /// <summary>k6's constant-vus: <paramref name="vus"/> VUs loop over the steps for <paramref name="duration"/>.</summary>
    public ScenarioBuilder ConstantVus(int vus, TimeSpan duration, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Executor(new ConstantVusExecutor(vus, duration), file, line);

    /// <summary>
    /// k6's ramping-vus: from <paramref name="startVus"/> VUs through the <paramref name="stages"/> (targets in VUs),
    /// with k6's 30s gracefulRampDown; a mistake in it is reported at the scenario, as the stages come last.
    /// </summary>
    public ScenarioBuilder RampingVus(int startVus, params Stage[] stages) =>
        Executor(new RampingVusExecutor(startVus, stages, ExecutorPlan.DefaultGracefulRampDown), _location);

    /// <summary>k6's shared-iterations: <paramref name="iterations"/> in total, shared by <paramref name="vus"/>, within k6's 10m maxDuration.</summary>
    public ScenarioBuilder Iterations(int vus, long iterations, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Executor(new SharedIterationsExecutor(vus, iterations, ExecutorPlan.DefaultMaxDuration), file, line);

    /// <summary>k6's per-vu-iterations: each of <paramref name="vus"/> VUs runs <paramref name="iterations"/> iterations, within k6's 10m maxDuration.</summary>
    public ScenarioBuilder PerVuIterations(int vus, long iterations, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Executor(new PerVuIterationsExecutor(vus, iterations, ExecutorPlan.DefaultMaxDuration), file, line);

    /// <summary>
    /// k6's constant-arrival-rate with a 1s timeUnit: <paramref name="perSecond"/> iterations start every second for
    /// <paramref name="duration"/>, on <paramref name="preAllocatedVus"/> VUs made beforehand and up to
    /// <paramref name="maxVus"/>; an arrival that finds them all busy is dropped (dropped_iterations).
    /// </summary>
    public ScenarioBuilder ArrivalRate(double perSecond, TimeSpan duration, int preAllocatedVus, int maxVus,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Executor(new ConstantArrivalRateExecutor(perSecond, ExecutorPlan.DefaultTimeUnit, duration, preAllocatedVus, maxVus), file, line);

    /// <summary>
    /// k6's ramping-arrival-rate with a 1s timeUnit: from <paramref name="startPerSecond"/> iterations per second
    /// through the <paramref name="stages"/> (targets in iterations per second); a mistake in it is reported at the
    /// scenario, as the stages come last.
    /// </summary>
    public ScenarioBuilder RampingArrivalRate(double startPerSecond, int preAllocatedVus, int maxVus, params Stage[] stages) =>
        Executor(new RampingArrivalRateExecutor(startPerSecond, ExecutorPlan.DefaultTimeUnit, stages, preAllocatedVus, maxVus), _location);

    /// <summary>Any executor record; its rules (<see cref="ExecutorPlan.Problem"/>) are checked here, at the caller's line.</summary>
    public ScenarioBuilder Executor(ExecutorPlan executor, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Executor(executor, PlanBuilder.At(file, line));

    /// <summary>k6's startTime: the scenario begins this long after the run starts; 0s or longer.</summary>
    public ScenarioBuilder StartTime(TimeSpan startTime, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        _startTime = startTime;
        return Checked(file, line);
    }

    /// <summary>
    /// k6's gracefulStop: how long iterations still running when the executor ends may finish before they are
    /// interrupted; 30s by default, 0s or longer.
    /// </summary>
    public ScenarioBuilder GracefulStop(TimeSpan gracefulStop, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        _gracefulStop = gracefulStop;
        return Checked(file, line);
    }

    /// <summary>A tag on every sample of the scenario, as k6's scenario tags; naming a tag again replaces its value.</summary>
    public ScenarioBuilder Tag(string name, string value)
    {
        _tags[name] = value;
        return this;
    }

    /// <summary>Each iteration takes one record of the plan's data source; its fields are variables (<c>ctx.Vars["email"]</c>).</summary>
    public ScenarioBuilder Data(string source, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        _data = _dataSources.TryGetValue(source, out var data)
            ? data
            : throw new PlanException(_dataSources.Count == 0
                ? $"scenario '{_name}': no data source named '{source}'; declare it first with .Data(\"{source}\", table) on the plan"
                : Suggest.Unknown("data source", source, [.. _dataSources.Keys]), PlanBuilder.At(file, line));
        return this;
    }

    /// <summary>
    /// A kind of user, like a Locust user class: the scenario's VUs are shared among users by weight, each VU runs its
    /// user's onStart once, then one of its weighted flows per iteration.
    /// </summary>
    public ScenarioBuilder User(string name, int weight, Action<UserBuilder> configure)
    {
        var user = new UserBuilder();
        configure(user);
        _personas.Add(user.Build(name, weight > 0 ? weight : throw new PlanException($"user '{name}': weight must be positive")));
        return this;
    }

    private ScenarioBuilder Executor(ExecutorPlan executor, SourceLocation? at)
    {
        ArgumentNullException.ThrowIfNull(executor);
        executor.Validate(at);
        _executor = executor;
        return this;
    }

    private ScenarioBuilder Checked(string file, int line)
    {
        if ((PlanRules.NotNegative("startTime", _startTime) ?? PlanRules.NotNegative("gracefulStop", _gracefulStop)) is { } problem)
        {
            throw new PlanException($"scenario '{_name}': {problem.Message}", PlanBuilder.At(file, line));
        }
        return this;
    }

    internal ScenarioPlan Build()
    {
        if (_personas.Count > 0 && Steps.Count > 0)
        {
            throw new PlanException($"scenario '{_name}' has both steps and users; put the steps in the users' flows", _location);
        }
        return new ScenarioPlan
        {
            Name = _name,
            Executor = _executor ?? new SharedIterationsExecutor(1, 1, ExecutorPlan.DefaultMaxDuration),
            Steps = _personas.Count > 0 ? [] : Build($"scenario '{_name}'"),
            Personas = [.. _personas],
            StartTime = _startTime,
            GracefulStop = _gracefulStop,
            Tags = new Dictionary<string, string>(_tags),
            Data = _data,
            Location = _location,
        };
    }
}
