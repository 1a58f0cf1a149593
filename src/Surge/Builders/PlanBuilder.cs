using System.Runtime.CompilerServices;
using Surge.Data;
using Surge.Metrics;
using Surge.Plans;
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
            BaseAddress = HttpOptions.TryParseHttpUrl(url, out var uri)
                ? uri
                : throw new PlanException($"base URL '{url}' is not an absolute http(s) URL"),
        };
        return this;
    }

    /// <summary>
    /// Changes the run-wide HTTP settings, starting from the current ones (a base URL set before is kept), e.g.
    /// <c>.Http(h => h with { InsecureSkipTlsVerify = true, MaxRedirects = 0 })</c>.
    /// </summary>
    public PlanBuilder Http(Func<HttpOptions, HttpOptions> configure)
    {
        _http = configure(_http);
        return this;
    }

    /// <summary>
    /// Adds a scenario; scenarios run at the same time. <paramref name="configure"/> gives it an executor (one VU
    /// running one iteration when it sets none) and its steps or users. A second scenario of the same name is a plan
    /// error at the caller's line.
    /// </summary>
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

    /// <summary>
    /// A k6 threshold, e.g. ("http_req_duration{name:login}", "p(95)&lt;500"); a syntax error throws at once, an
    /// unknown metric or a statistic that does not fit it (p(95) of a rate) at <see cref="Build"/>.
    /// </summary>
    /// <param name="metric">The metric, built-in or declared with Counter/Gauge/Rate/Trend, with an optional tag filter: <c>name{tag:value}</c>.</param>
    /// <param name="expression">k6's expression: avg, min, med, max, p(N), count, rate or value, an operator and a number; trends of time in milliseconds.</param>
    /// <param name="abortOnFail">k6's abortOnFail: stop the run as soon as the threshold fails while it runs.</param>
    /// <param name="allowNoData">Pass when nothing was measured for it, instead of failing with "no data".</param>
    /// <param name="file">Filled in by the compiler: the caller's file, where a mistake is reported.</param>
    /// <param name="line">Filled in by the compiler: the caller's line.</param>
    public PlanBuilder Threshold(string metric, string expression, bool abortOnFail = false, bool allowNoData = false,
        [CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
    {
        var at = At(file, line);
        _thresholds.Add(new ThresholdPlan
        {
            Key = Parse(metric, MetricKey.Parse, at),
            Expression = Parse(expression, ThresholdExpression.Parse, at),
            AbortOnFail = abortOnFail,
            AllowNoData = allowNoData,
            Location = at,
        });
        return this;
    }

    /// <summary>Declares a custom counter that steps add to with <see cref="VuContext.Count"/>.</summary>
    public PlanBuilder Counter(string name, [CallerFilePath] string file = "", [CallerLineNumber] int line = 0) =>
        Metric(new MetricDefinition(name, MetricKind.Counter), At(file, line));

    /// <summary>Declares a custom gauge that steps set with <see cref="VuContext.Gauge"/>: the last value, with its min and max.</summary>
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

    /// <summary>
    /// A default for <c>{{ env("NAME") }}</c> and <c>ctx.Env</c>. Under `surge run`, `-e NAME=...`, the process
    /// environment and a .env file (in that order) replace it; a plan run with <c>TestRun.RunAsync</c> uses it as it is,
    /// over the process environment. A scenario's env wins over it.
    /// </summary>
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
    /// writes become checks. <paramref name="paging"/> reads a list longer than a page (a Link rel="next" header is
    /// followed without it); <paramref name="records"/> is the JSON path to the array when the list is wrapped.
    /// </summary>
    public PlanBuilder Verify(string ledger, string listUrl, string idField = "id", VerifyPaging? paging = null, string? records = null)
    {
        paging ??= VerifyPaging.LinkHeader;
        if (paging.Problem() is { } problem)
        {
            throw new PlanException($"verify {ledger}: {problem}");
        }
        foreach (var path in new[] { records, paging.NextPath }.OfType<string>())
        {
            try
            {
                Json.JsonPath.Parse(path);
            }
            catch (Json.JsonPathSyntaxException error)
            {
                throw new PlanException($"verify {ledger}: '{path}': {error.Message}");
            }
        }
        _verify.Add(new VerifyPlan(ledger, new RequestStep { Method = "GET", Url = listUrl, Name = $"verify {ledger}" }, idField)
        {
            RecordsPath = records,
            Paging = paging,
        });
        return this;
    }

    /// <summary>
    /// The validated, immutable plan. Throws a <see cref="PlanException"/> when there is no scenario, or a threshold
    /// names an unknown metric (with the closest name) or a statistic its metric does not have.
    /// </summary>
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
            if (threshold.Expression.MismatchWith(metric) is { } mismatch)
            {
                throw new PlanException(mismatch, threshold.Location);
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
