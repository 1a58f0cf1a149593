using System.Runtime.CompilerServices;
using Surge.Http;
using Surge.Metrics;
using Surge.Plans;
using Surge.Templating;

namespace Surge.Engine.Steps;

/// <summary>
/// Sends one request step and records k6's HTTP metrics for it (<see cref="RequestMetrics"/>), then its checks and
/// captures. A request without templates is built once; one with templates is rendered from the VU's variables on
/// every send. A request that comes out malformed (a line break in a header, say) is refused unsent and recorded
/// under its error code; one the run's end interrupted is recorded, then stops the iteration.
/// </summary>
internal sealed class RequestRunner : IStepRunner
{
    private readonly HttpRequest? _request;
    private readonly MalformedRequest? _malformed;
    private readonly RequestStep _step;
    private readonly string _described;
    private readonly HttpProtocol _protocol;
    private readonly Template _url;
    private readonly (string Name, Template Value)[] _headers;
    private readonly (string Name, Template Value)[] _cookies;
    private readonly Template? _body;
    private readonly ResponseRules _rules;
    private readonly RequestMetrics _metrics;
    private readonly HttpOptions _http;
    private readonly int _maxRedirects;
    private readonly TagSet _stepTags;
    private readonly string _name;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Method, string Url), RequestMetrics> _hops = new();
    private readonly MetricRegistry _registry;

    public RequestRunner(RequestStep step, StepContext context)
    {
        _step = step;
        _http = context.Scenario.Engine.Http;
        var registry = context.Scenario.Recorder.Registry;
        _protocol = step.HttpVersion == "2" ? HttpProtocol.Http2 : HttpProtocol.Http11;
        _url = context.Template(step.Url, step.Location);
        _headers = [.. step.Headers.Select(h => (h.Key, context.Template(h.Value, step.Location)))];
        _cookies = [.. step.Cookies.Select(c => (c.Key, context.Template(c.Value, step.Location)))];
        _body = step.Body is null ? null : context.Template(step.Body, step.Location);
        var name = step.Name ?? step.Url;
        _name = name;
        _registry = registry;
        _maxRedirects = step.MaxRedirects ?? _http.MaxRedirects;
        _described = $"request '{name}'" + (step.Location is { } at ? $" ({at})" : "");
        if (_url.IsConstant && _headers.All(h => h.Value.IsConstant) && _cookies.All(c => c.Value.IsConstant) && _body is not { IsConstant: false })
        {
            var url = _url.Render(DictionaryVariables.Empty);
            _http.Resolve(url, step.Location); // a fixed URL that does not resolve is a plan error, reported before any load
            TryBuild(DictionaryVariables.Empty, out _request, out _malformed);
        }
        _stepTags = context.Tags.With(step.Tags);
        var tags = RequestMetrics.EndpointTags(_stepTags, name, step.Method, _protocol);
        _metrics = new RequestMetrics(tags, registry, step.ExpectedStatuses);
        _rules = new ResponseRules(step, tags, registry);
    }

    private bool TryBuild(IVariables variables, out HttpRequest? request, out MalformedRequest? problem) => HttpRequest.TryCreate(
        _step.Method, _url.Render(variables), _http, Headers(variables), _body?.Render(variables), _step.Timeout, out request, out problem);

    // The step's headers, and its `cookies:` as one Cookie header (after the values of a Cookie header it also has).
    private List<KeyValuePair<string, string>> Headers(IVariables variables)
    {
        var headers = _headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value.Render(variables))).ToList();
        if (_cookies.Length == 0)
        {
            return headers;
        }
        var cookies = string.Join("; ", _cookies.Select(c => $"{c.Name}={c.Value.Render(variables)}"));
        var existing = headers.FindIndex(h => h.Key.Equals("Cookie", StringComparison.OrdinalIgnoreCase));
        if (existing < 0)
        {
            headers.Add(new("Cookie", cookies));
        }
        else
        {
            headers[existing] = new(headers[existing].Key, $"{headers[existing].Value}; {cookies}");
        }
        return headers;
    }

    /// <summary>Whether this outcome is a redirect the step follows (then <see cref="FollowAsync"/> before <see cref="Complete"/>).</summary>
    internal bool Redirects(in HttpTimings timings) => _maxRedirects > 0 && Steps.Redirects.IsRedirect(timings.Status);

    /// <summary>Follows the redirect that <see cref="SendAsync"/> got, recording each hop but the last.</summary>
    internal ValueTask<HttpTimings> FollowAsync(VirtualUser vu, HttpTimings timings, CancellationToken cancellationToken) =>
        Steps.Redirects.FollowAsync(vu, vu.LastRequest!, timings, _metrics, HopMetrics, _maxRedirects, _protocol,
            _rules.NeedsResponse ? vu.Response : null, cancellationToken);

    // One series per hop's method and URL (k6 tags a hop with its own URL), shared by the VUs; past the registry's
    // series limit new ones fold into the overflow series, as the registry would fold them anyway.
    private RequestMetrics HopMetrics(string method, string url) =>
        _hops.TryGetValue((method, url), out var metrics) ? metrics
        : _hops.GetOrAdd(_hops.Count >= _registry.MaxSeriesPerMetric ? ("", "") : (method, url), hop => new RequestMetrics(
            hop.Url.Length == 0 ? MetricRegistry.OverflowTags : RequestMetrics.EndpointTags(_stepTags, _name, hop.Method, _protocol, hop.Url),
            _registry, _step.ExpectedStatuses));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var timings = await SendAsync(vu, cancellationToken).ConfigureAwait(false);
        if (Redirects(timings))
        {
            timings = await FollowAsync(vu, timings, cancellationToken).ConfigureAwait(false);
        }
        Complete(vu, timings);
    }

    /// <summary>
    /// Sends the request; with <see cref="Redirects"/>, <see cref="FollowAsync"/> and <see cref="Complete"/>, what
    /// <see cref="RunAsync"/> does, one await shallower.
    /// </summary>
    internal ValueTask<HttpTimings> SendAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var request = _request;
        var problem = _malformed;
        if (request is null && problem is null)
        {
            TryBuild(vu.Variables, out request, out problem);
        }
        vu.LastRequest = request;
        return problem is not null
            ? ValueTask.FromResult(Refuse(vu, _described, problem, _rules.NeedsResponse ? vu.Response : null))
            : vu.Http(_protocol).SendAsync(request!, _rules.NeedsResponse ? vu.Response : null, cancellationToken);
    }

    /// <summary>Records the request's metrics, then runs its checks and captures; an interrupted request ends the iteration.</summary>
    internal void Complete(VirtualUser vu, in HttpTimings timings)
    {
        (vu.FinalHop ?? _metrics).Record(vu, timings);
        vu.FinalHop = null;
        ThrowIfInterrupted(timings);
        if (!_rules.IsEmpty)
        {
            _rules.Apply(vu, timings, _rules.NeedsResponse ? vu.Response : null);
        }
    }

    /// <summary>The outcome of a request refused unsent: its error code, no phase, no byte; the scenario keeps the first reason.</summary>
    internal static HttpTimings Refuse(VirtualUser vu, string described, MalformedRequest problem, HttpResponseBuffer? keep)
    {
        keep?.Clear(); // checks and captures must not read the previous response
        vu.Scenario.Refused(described, problem);
        return new HttpTimings { Error = problem.Error, EndedAt = MonotonicClock.Now };
    }

    /// <summary>After recording it: a request the run's end interrupted stops the iteration, as the interrupt meant to.</summary>
    internal static void ThrowIfInterrupted(in HttpTimings timings)
    {
        if (timings.Error is NetworkError.Interrupted)
        {
            throw new OperationCanceledException("the run ended while the request was in flight");
        }
    }
}
