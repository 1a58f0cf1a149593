using System.Runtime.CompilerServices;
using Surge.Data;
using Surge.Metrics;
using Surge.Plans;
using Surge.Results;
using Surge.Thresholds;

namespace Surge;

/// <summary>
/// Builds a <see cref="TestPlan"/> in C#, for test files run with `surge run test.cs` and for plans run inside a
/// unit test: <c>var result = await Load.Plan().BaseUrl("http://127.0.0.1:5000").Scenario("browse", s => s
/// .ConstantVus(10, TimeSpan.FromSeconds(30)).Get("/items")).Threshold("http_req_duration", "p(95)&lt;500").Build()
/// .RunAsync();</c> A mutable builder that produces one validated, immutable plan.
/// </summary>
public sealed class PlanBuilder
{
    private readonly List<ScenarioPlan> _scenarios = [];
    private readonly List<ThresholdPlan> _thresholds = [];
    private readonly List<MetricDefinition> _metrics = [];
    private readonly Dictionary<string, DataSourcePlan> _data = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal);
    private readonly List<VerifyPlan> _verify = [];
    private readonly List<Step> _setup = [];
    private readonly List<Step> _teardown = [];
    private HttpOptions _http = HttpOptions.Default;

    /// <summary>Where relative URLs point; `--base-url` on the command line replaces it.</summary>
    public PlanBuilder BaseUrl(string url)
    {
        _http = _http with
        {
            BaseAddress = Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new PlanException($"base URL '{url}' is not an absolute http(s) URL"),
        };
        return this;
    }

    public PlanBuilder Http(Func<HttpOptions, HttpOptions> configure)
    {
        _http = configure(_http);
        return this;
    }

    public PlanBuilder Scenario(string name, Action<ScenarioBuilder> configure,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var at = At(file, line);
        if (_scenarios.Any(s => s.Name == name))
        {
            throw new PlanException($"there is already a scenario named '{name}'", at);
        }
        var scenario = new ScenarioBuilder(name, _data, at);
        configure(scenario);
        _scenarios.Add(scenario.Build());
        return this;
    }

    /// <summary>A k6 threshold, e.g. ("http_req_duration{name:login}", "p(95)&lt;500"); a syntax error throws at once.</summary>
    public PlanBuilder Threshold(string metric, string expression, bool abortOnFail = false,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var at = At(file, line);
        _thresholds.Add(new ThresholdPlan
        {
            Key = Parse(metric, MetricKey.Parse, at),
            Expression = Parse(expression, ThresholdExpression.Parse, at),
            AbortOnFail = abortOnFail,
            Location = at,
        });
        return this;
    }

    /// <summary>Declares a custom counter that steps add to with <see cref="VuContext.Count"/>.</summary>
    public PlanBuilder Counter(string name, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Metric(new MetricDefinition(name, MetricKind.Counter), At(file, line));

    public PlanBuilder Gauge(string name, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Metric(new MetricDefinition(name, MetricKind.Gauge), At(file, line));

    /// <summary>Declares a custom rate, e.g. invoice_creation_success.</summary>
    public PlanBuilder Rate(string name, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Metric(new MetricDefinition(name, MetricKind.Rate), At(file, line));

    /// <summary>Declares a custom trend, e.g. payment_processing_time; <paramref name="time"/> formats it as durations.</summary>
    public PlanBuilder Trend(string name, bool time = true, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Metric(new MetricDefinition(name, MetricKind.Trend, time ? MetricContains.Time : MetricContains.Default), At(file, line));

    /// <summary>
    /// Test data shared read-only by every VU (a CSV or JSON file, or rows in code); scenarios take records from it
    /// with <see cref="ScenarioBuilder.Data"/>.
    /// </summary>
    public PlanBuilder Data(string name, DataTable table, FeederMode mode = FeederMode.Sequential, OutOfDataPolicy whenOutOfData = OutOfDataPolicy.Stop,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var at = At(file, line);
        if (!_data.TryAdd(name, new DataSourcePlan(name, table) { Mode = mode, WhenOutOfData = whenOutOfData, Location = at }))
        {
            throw new PlanException($"there is already a data source named '{name}'", at);
        }
        return this;
    }

    public PlanBuilder Env(string name, string value)
    {
        _env[name] = value;
        return this;
    }

    /// <summary>Runs once before any scenario; the variables it sets (<c>ctx.Vars["token"] = ...</c>) are visible to every VU.</summary>
    public PlanBuilder Setup(Func<VuContext, Task> body)
    {
        _setup.Add(new CodeStep("setup", body));
        return this;
    }

    /// <summary>Runs once after every scenario ended, with setup's variables, before the verify stages.</summary>
    public PlanBuilder Teardown(Func<VuContext, Task> body)
    {
        _teardown.Add(new CodeStep("teardown", body));
        return this;
    }

    /// <summary>
    /// After the load, compares the ids steps acknowledged (<see cref="VuContext.Acknowledge"/>) with the JSON array
    /// the server lists at <paramref name="listUrl"/> (each element's <paramref name="idField"/>): lost and duplicated
    /// writes become checks.
    /// </summary>
    public PlanBuilder Verify(string ledger, string listUrl, string idField = "id")
    {
        _verify.Add(new VerifyPlan(ledger, new RequestStep { Method = "GET", Url = listUrl, Name = $"verify {ledger}" }, idField));
        return this;
    }

    public TestPlan Build()
    {
        if (_scenarios.Count == 0)
        {
            throw new PlanException("the plan has no scenarios; add one with .Scenario(name, s => ...)");
        }
        foreach (var threshold in _thresholds)
        {
            var metric = BuiltinMetrics.Find(threshold.Key.Metric) ?? _metrics.FirstOrDefault(m => m.Name == threshold.Key.Metric)
                ?? throw new PlanException(
                    Suggest.Unknown("metric", threshold.Key.Metric, [.. BuiltinMetrics.All.Concat(_metrics).Select(m => m.Name)],
                        " in a threshold (declare custom metrics with .Counter, .Gauge, .Rate or .Trend)"),
                    threshold.Location);
            if (!MetricAggregate.IsValidStat(metric.Kind, threshold.Expression.Stat))
            {
                throw new PlanException($"'{threshold.Expression.Stat}' does not apply to {metric.Kind.ToString().ToLowerInvariant()} metric '{metric.Name}'", threshold.Location);
            }
        }
        return new TestPlan
        {
            Scenarios = [.. _scenarios],
            Thresholds = [.. _thresholds],
            Metrics = [.. _metrics],
            Http = _http,
            Env = new Dictionary<string, string>(_env),
            Setup = [.. _setup],
            Teardown = [.. _teardown],
            Verify = [.. _verify],
        };
    }

    private PlanBuilder Metric(MetricDefinition metric, SourceLocation? at)
    {
        if (BuiltinMetrics.Find(metric.Name) is not null || _metrics.Any(m => m.Name == metric.Name))
        {
            throw new PlanException($"metric '{metric.Name}' is already defined", at);
        }
        _ = Parse(metric.Name, MetricKey.Parse, at);
        _metrics.Add(metric);
        return this;
    }

    private static T Parse<T>(string text, Func<string, T> parse, SourceLocation? at)
    {
        try
        {
            return parse(text);
        }
        catch (ThresholdSyntaxException error)
        {
            throw new PlanException($"'{text}': {error.Message}", at);
        }
    }

    /// <summary>The line of the caller's file, so that a mistake in a C# test is reported where it was written.</summary>
    internal static SourceLocation? At(string file, int line) => file.Length == 0 ? null : new SourceLocation(file, line, 1);
}

/// <summary>Steps in order: requests, pauses, C# code and groups. Scenarios, flows, groups and onStart all build steps.</summary>
public abstract class StepsBuilder<TSelf>
    where TSelf : StepsBuilder<TSelf>
{
    private readonly List<Step> _steps = [];

    private protected IReadOnlyList<Step> Steps => _steps;

    public TSelf Get(string url, string? name = null, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Request(new RequestStep { Method = "GET", Url = url, Name = name, Location = PlanBuilder.At(file, line) });

    public TSelf Post(string url, string body, string contentType = "application/json", string? name = null,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) => Request(new RequestStep
    {
        Method = "POST",
        Url = url,
        Body = body,
        Headers = [new("Content-Type", contentType)],
        Name = name,
        Location = PlanBuilder.At(file, line),
    });

    /// <summary>Any request, with checks, captures and custom-metric records as in YAML.</summary>
    public TSelf Request(RequestStep request) => Step(request);

    public TSelf Think(TimeSpan pause) => Step(new ThinkStep(pause, pause));

    /// <summary>A pause drawn uniformly between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public TSelf Think(TimeSpan min, TimeSpan max) =>
        min <= max ? Step(new ThinkStep(min, max)) : throw new PlanException($"think: the shortest pause ({min}) is longer than the longest ({max})");

    /// <summary>C# code with the VU's context: its HTTP client records metrics by itself; add checks and custom metrics.</summary>
    public TSelf Run(Func<VuContext, Task> body) => Run("code", body);

    /// <inheritdoc cref="Run(Func{VuContext, Task})"/>
    public TSelf Run(string name, Func<VuContext, Task> body) => Step(new CodeStep(name, body));

    /// <summary>k6's group: the steps inside record under a `group` tag, and the whole under group_duration.</summary>
    public TSelf Group(string name, Action<GroupBuilder> configure)
    {
        var group = new GroupBuilder();
        configure(group);
        return Step(new GroupStep(name, group.Build($"group '{name}'")));
    }

    public TSelf Step(Step step)
    {
        _steps.Add(step);
        return (TSelf)this;
    }

    private protected IReadOnlyList<Step> Build(string what) =>
        _steps.Count > 0 ? [.. _steps] : throw new PlanException($"{what} has no steps; add e.g. .Get(url) or .Run(ctx => ...)");
}

public sealed class GroupBuilder : StepsBuilder<GroupBuilder>
{
    internal new IReadOnlyList<Step> Build(string what) => base.Build(what);
}

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
    private TimeSpan _gracefulStop = TimeSpan.FromSeconds(30);

    internal ScenarioBuilder(string name, IReadOnlyDictionary<string, DataSourcePlan> dataSources, SourceLocation? location)
    {
        _name = name;
        _dataSources = dataSources;
        _location = location;
    }

    public ScenarioBuilder ConstantVus(int vus, TimeSpan duration) => Executor(new ConstantVusExecutor(vus, duration));

    public ScenarioBuilder RampingVus(int startVus, params Stage[] stages) => Executor(new RampingVusExecutor(startVus, stages, TimeSpan.FromSeconds(30)));

    /// <summary>k6's shared-iterations: <paramref name="iterations"/> in total, shared by <paramref name="vus"/>.</summary>
    public ScenarioBuilder Iterations(int vus, long iterations) => Executor(new SharedIterationsExecutor(vus, iterations, TimeSpan.FromMinutes(10)));

    public ScenarioBuilder PerVuIterations(int vus, long iterations) => Executor(new PerVuIterationsExecutor(vus, iterations, TimeSpan.FromMinutes(10)));

    public ScenarioBuilder ArrivalRate(double perSecond, TimeSpan duration, int preAllocatedVus, int maxVus) =>
        Executor(new ConstantArrivalRateExecutor(perSecond, TimeSpan.FromSeconds(1), duration, preAllocatedVus, maxVus));

    public ScenarioBuilder RampingArrivalRate(double startPerSecond, int preAllocatedVus, int maxVus, params Stage[] stages) =>
        Executor(new RampingArrivalRateExecutor(startPerSecond, TimeSpan.FromSeconds(1), stages, preAllocatedVus, maxVus));

    public ScenarioBuilder Executor(ExecutorPlan executor)
    {
        _executor = executor;
        return this;
    }

    public ScenarioBuilder StartTime(TimeSpan startTime)
    {
        _startTime = startTime;
        return this;
    }

    public ScenarioBuilder GracefulStop(TimeSpan gracefulStop)
    {
        _gracefulStop = gracefulStop;
        return this;
    }

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

    internal ScenarioPlan Build()
    {
        if (_personas.Count > 0 && Steps.Count > 0)
        {
            throw new PlanException($"scenario '{_name}' has both steps and users; put the steps in the users' flows", _location);
        }
        return new ScenarioPlan
        {
            Name = _name,
            Executor = _executor ?? new SharedIterationsExecutor(1, 1, TimeSpan.FromMinutes(10)),
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

/// <summary>A kind of user: what it does once per VU (<see cref="OnStart"/>, a login), and its weighted flows.</summary>
public sealed class UserBuilder
{
    private readonly List<FlowPlan> _flows = [];
    private IReadOnlyList<Step> _onStart = [];

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

/// <summary>Entry points of the C# API.</summary>
public static class Load
{
    public static PlanBuilder Plan() => new();

    /// <summary>Runs the plan in this process, e.g. inside a unit test, and returns the summary to assert on.</summary>
    public static Task<RunSummary> RunAsync(this TestPlan plan, RunSettings? settings = null, CancellationToken cancellationToken = default) =>
        TestRun.RunAsync(plan, settings, cancellationToken);
}
