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
public sealed class RequestRunner : IStepRunner
{
    private readonly HttpRequest? _request;
    private readonly MalformedRequest? _malformed;
    private readonly RequestStep _step;
    private readonly string _described;
    private readonly HttpProtocol _protocol;
    private readonly Template _url;
    private readonly (string Name, Template Value)[] _headers;
    private readonly Template? _body;
    private readonly ResponseRules _rules;
    private readonly RequestMetrics _metrics;
    private readonly HttpOptions _http;

    public RequestRunner(RequestStep step, StepContext context)
    {
        _step = step;
        _http = context.Scenario.Engine.Http;
        var registry = context.Scenario.Recorder.Registry;
        _protocol = step.HttpVersion == "2" ? HttpProtocol.Http2 : HttpProtocol.Http11;
        _url = context.Template(step.Url, step.Location);
        _headers = [.. step.Headers.Select(h => (h.Key, context.Template(h.Value, step.Location)))];
        _body = step.Body is null ? null : context.Template(step.Body, step.Location);
        var name = step.Name ?? step.Url;
        _described = $"request '{name}'" + (step.Location is { } at ? $" ({at})" : "");
        if (_url.IsConstant && _headers.All(h => h.Value.IsConstant) && _body is not { IsConstant: false })
        {
            var url = _url.Render(DictionaryVariables.Empty);
            _http.Resolve(url, step.Location); // a fixed URL that does not resolve is a plan error, reported before any load
            TryBuild(DictionaryVariables.Empty, out _request, out _malformed);
        }
        var tags = RequestMetrics.EndpointTags(context.Tags.With(step.Tags), name, step.Method, _protocol);
        _metrics = new RequestMetrics(tags, registry, step.ExpectedStatuses);
        _rules = new ResponseRules(step, tags, registry);
    }

    private bool TryBuild(IVariables variables, out HttpRequest? request, out MalformedRequest? problem) => HttpRequest.TryCreate(
        _step.Method, _url.Render(variables), _http,
        [.. _headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value.Render(variables)))], _body?.Render(variables),
        _step.Timeout, out request, out problem);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken) =>
        Complete(vu, await SendAsync(vu, cancellationToken).ConfigureAwait(false));

    /// <summary>Sends the request; with <see cref="Complete"/>, what <see cref="RunAsync"/> does, one await shallower.</summary>
    internal ValueTask<HttpTimings> SendAsync(VirtualUser vu, CancellationToken cancellationToken)
    {
        var request = _request;
        var problem = _malformed;
        if (request is null && problem is null)
        {
            TryBuild(vu.Variables, out request, out problem);
        }
        return problem is not null
            ? ValueTask.FromResult(Refuse(vu, _described, problem, _rules.NeedsResponse ? vu.Response : null))
            : vu.Http(_protocol).SendAsync(request!, _rules.NeedsResponse ? vu.Response : null, cancellationToken);
    }

    /// <summary>Records the request's metrics, then runs its checks and captures; an interrupted request ends the iteration.</summary>
    internal void Complete(VirtualUser vu, in HttpTimings timings)
    {
        _metrics.Record(vu, timings);
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
