using Surge.Engine;
using Surge.Engine.Steps;
using Surge.Http;
using Surge.Metrics;
using Surge.Plans;

namespace Surge;

/// <summary>
/// The HTTP client of a C# step. Every request records k6's HTTP metrics under its `name` tag (the URL unless a
/// name is given: name URLs that carry ids, e.g. "GET /items/{id}", to keep one series per endpoint), the step's
/// group and flow tags included. Relative URLs resolve against the plan's base URL.
/// </summary>
public sealed class VuHttp
{
    private readonly VirtualUser _vu;
    private readonly VuContext _context;

    internal VuHttp(VirtualUser vu, VuContext context)
    {
        _vu = vu;
        _context = context;
        MaxRedirects = vu.Scenario.Engine.Http.MaxRedirects;
    }

    /// <summary>Headers sent with every request of this VU, e.g. Authorization after a login.</summary>
    public IDictionary<string, string> DefaultHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// k6's request timeout for this VU's requests from here on: 60 s unless set. A request past it fails with
    /// <c>error_code</c> <c>timeout</c> (recorded, not thrown).
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Redirects followed, each recorded as a request of its own; 0 returns the 3xx. The test's maxRedirects unless set.</summary>
    public int MaxRedirects { get; set; }

    /// <summary>This VU's cookies (the same jar its YAML steps use), or null when the test runs with the jar off.</summary>
    public CookieJar? Cookies => _vu.Session.Cookies;

    /// <summary>
    /// HTTP/1.1 (the default) or HTTP/2: h2c with prior knowledge on http://, ALPN h2 on https://, over this VU's one
    /// multiplexed connection per endpoint, which its YAML steps with `httpVersion: "2"` share; concurrent requests
    /// (Task.WhenAll) go out as concurrent streams on it. Requests are tagged `proto` HTTP/2.0.
    /// </summary>
    public HttpProtocol Protocol { get; set; } = HttpProtocol.Http11;

    /// <summary>Statuses that do not count as failed in http_req_failed; k6's default is 200-399.</summary>
    public StatusRanges ExpectedStatuses { get; set; } = StatusRanges.Default;

    /// <summary>Sends a GET; see <see cref="SendAsync"/> for what is recorded and thrown.</summary>
    /// <param name="url">Absolute, or relative to the plan's base URL.</param>
    /// <param name="name">The <c>name</c> tag; the URL when null. Give one when the URL carries ids.</param>
    public Task<HttpResult> GetAsync(string url, string? name = null) => SendAsync("GET", url, name: name);

    /// <summary>Sends a DELETE without a body.</summary>
    /// <inheritdoc cref="GetAsync" path="/param"/>
    public Task<HttpResult> DeleteAsync(string url, string? name = null) => SendAsync("DELETE", url, name: name);

    /// <summary>Sends a HEAD: the response has headers and no body.</summary>
    /// <inheritdoc cref="GetAsync" path="/param"/>
    public Task<HttpResult> HeadAsync(string url, string? name = null) => SendAsync("HEAD", url, name: name);

    /// <summary>Posts a body, JSON unless told otherwise.</summary>
    public Task<HttpResult> PostAsync(string url, string body, string contentType = "application/json", string? name = null) =>
        SendAsync("POST", url, body, [new("Content-Type", contentType)], name);

    /// <summary>Puts a body, JSON unless told otherwise.</summary>
    public Task<HttpResult> PutAsync(string url, string body, string contentType = "application/json", string? name = null) =>
        SendAsync("PUT", url, body, [new("Content-Type", contentType)], name);

    /// <summary>Patches with a body, JSON unless told otherwise.</summary>
    public Task<HttpResult> PatchAsync(string url, string body, string contentType = "application/json", string? name = null) =>
        SendAsync("PATCH", url, body, [new("Content-Type", contentType)], name);

    /// <summary>
    /// Sends any request. One that is malformed (a line break or NUL in the method, the URL or a header, a header
    /// name that is not a token) is not sent: it comes back failed with <see cref="HttpResult.Error"/>
    /// `invalid_method`, `invalid_url` or `invalid_header`. A request the run's end interrupts is recorded as
    /// `interrupted`, then ends the step with an <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<HttpResult> SendAsync(string method, string url, string? body = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null, string? name = null)
    {
        var metrics = MetricsFor(method, name ?? url, ExpectedStatuses);
        // A fresh buffer per request: results stay valid while the step keeps them, and C# steps are not the hot path.
        var response = new HttpResponseBuffer();
        var timings = HttpRequest.TryCreate(method, url, _vu.Scenario.Engine.Http, Headers(headers), body, Timeout, out var request, out var problem)
            ? await _vu.Http(Protocol).SendAsync(request, response, _context.CancellationToken).ConfigureAwait(false)
            : RequestRunner.Refuse(_vu, $"request '{name ?? url}'", problem, response);
        if (request is not null && MaxRedirects > 0 && Redirects.IsRedirect(timings.Status))
        {
            var expected = ExpectedStatuses;
            timings = await Redirects.FollowAsync(_vu, request, timings, metrics, (hopMethod, hopUrl) => MetricsFor(hopMethod, name ?? url, expected, hopUrl),
                MaxRedirects, Protocol, response, _context.CancellationToken).ConfigureAwait(false);
            metrics = _vu.FinalHop ?? metrics;
            _vu.FinalHop = null;
        }
        metrics.Record(_vu, timings);
        RequestRunner.ThrowIfInterrupted(timings);
        return new HttpResult(response, timings, metrics.IsFailure(timings));
    }

    private List<KeyValuePair<string, string>> Headers(IEnumerable<KeyValuePair<string, string>>? extra)
    {
        var headers = new List<KeyValuePair<string, string>>(DefaultHeaders);
        foreach (var header in extra ?? [])
        {
            headers.RemoveAll(h => string.Equals(h.Key, header.Key, StringComparison.OrdinalIgnoreCase));
            headers.Add(header);
        }
        return headers;
    }

    // One RequestMetrics per endpoint, shared by the scenario's VUs. Past the registry's series limit the registry
    // folds new tag sets into its overflow series anyway, so new endpoints share one entry instead of growing the cache.
    private RequestMetrics MetricsFor(string method, string name, StatusRanges expected, string? url = null)
    {
        var registry = _vu.Scenario.Recorder.Registry;
        var endpoints = _vu.Scenario.CodeEndpoints;
        (TagSet Tags, string Expected) key = (RequestMetrics.EndpointTags(_context.Tags, name, method, Protocol, url), string.Join(',', expected.Ranges));
        if (endpoints.TryGetValue(key, out var metrics))
        {
            return metrics;
        }
        if (endpoints.Count >= registry.MaxSeriesPerMetric)
        {
            key = (MetricRegistry.OverflowTags, key.Expected);
        }
        return endpoints.GetOrAdd(key, k => new RequestMetrics(k.Tags, registry, expected));
    }
}
