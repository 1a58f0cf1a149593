using System.Runtime.CompilerServices;
using Surge.Http;
using Surge.Metrics;
using Surge.Plans;
using Surge.Templating;

namespace Surge.Engine.Steps;

/// <summary>
/// Sends one request step and records k6's HTTP metrics for it (<see cref="RequestMetrics"/>), then its checks and
/// captures. A request without templates is serialized once; one with templates is rendered from the VU's variables
/// on every send.
/// </summary>
public sealed class RequestRunner : IStepRunner
{
    private readonly HttpRequest? _request;
    private readonly RequestStep _step;
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
        if (_url.IsConstant && _headers.All(h => h.Value.IsConstant) && _body is not { IsConstant: false })
        {
            _request = Build(_url.Render(DictionaryVariables.Empty), _headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value.Render(DictionaryVariables.Empty))).ToList(), _body?.Render(DictionaryVariables.Empty));
        }
        var name = step.Name ?? step.Url;
        var tags = RequestMetrics.EndpointTags(context.Tags.With(step.Tags), name, step.Method, _protocol);
        _metrics = new RequestMetrics(tags, registry, step.ExpectedStatuses);
        _rules = new ResponseRules(step, tags, registry);
    }

    private HttpRequest Build(string url, IReadOnlyList<KeyValuePair<string, string>> headers, string? body) =>
        new(_step.Method, _http.Resolve(url, _step.Location), headers, body, _step.Timeout);

    private HttpRequest Render(VirtualUser vu) =>
        Build(_url.Render(vu.Variables), [.. _headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value.Render(vu.Variables)))], _body?.Render(vu.Variables));

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask RunAsync(VirtualUser vu, CancellationToken cancellationToken) =>
        Complete(vu, await SendAsync(vu, cancellationToken).ConfigureAwait(false));

    /// <summary>Sends the request; with <see cref="Complete"/>, what <see cref="RunAsync"/> does, one await shallower.</summary>
    internal ValueTask<HttpTimings> SendAsync(VirtualUser vu, CancellationToken cancellationToken) =>
        vu.Http(_protocol).SendAsync(_request ?? Render(vu), _rules.NeedsResponse ? vu.Response : null, cancellationToken);

    /// <summary>Records the request's metrics, then runs its checks and captures.</summary>
    internal void Complete(VirtualUser vu, in HttpTimings timings)
    {
        _metrics.Record(vu, timings);
        if (!_rules.IsEmpty)
        {
            _rules.Apply(vu, timings, _rules.NeedsResponse ? vu.Response : null);
        }
    }
}
