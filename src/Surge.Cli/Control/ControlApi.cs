using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Surge.Cli.Dashboard;
using Surge.Results;

namespace Surge.Cli.Control;

/// <summary>
/// k6's REST API, the part that starts instances together: GET /v1/status tells whether the run is paused and ready,
/// running or stopped, with its VUs; PATCH /v1/status with `{"paused": false}` (or k6's JSON:API envelope
/// `{"data": {"attributes": {"paused": false}}}`) starts a run that waits with `--paused`, and `{"stopped": true}`
/// stops it as the first Ctrl-C does. The dashboard's rules hold (<see cref="RequestGuard"/>): only this machine's
/// names, and the run's token for PATCH.
/// </summary>
public sealed class ControlApi : IAsyncDisposable, ILiveSink
{
    public const int DefaultPort = 6565;

    // k6's lib.ExecutionStatus values, so that tools reading k6's status read Surge's.
    private const int InitVus = 1;
    private const int PausedBeforeRun = 4;
    private const int Running = 7;
    private const int Ended = 9;

    private readonly WebApplication _app;
    private readonly RequestGuard _guard;
    private readonly Action _stop;
    private readonly TaskCompletionSource _resumed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _lock = new();
    private int _status = InitVus;
    private bool _paused;
    private bool _stopped;
    private bool _tainted;
    private int _vus;
    private int _vusMax;

    private ControlApi(WebApplication app, RequestGuard guard, bool paused, Action stop)
    {
        _app = app;
        _guard = guard;
        _paused = paused;
        _stop = stop;
        if (!paused)
        {
            _resumed.SetResult();
        }
    }

    /// <summary>Where the API listens, e.g. http://127.0.0.1:6565/.</summary>
    public Uri Address { get; private set; } = null!;

    /// <param name="paused">The run waits for a PATCH that resumes it (<see cref="WaitForResumeAsync"/>).</param>
    /// <param name="stop">Stops the run gracefully, exactly as the first Ctrl-C does.</param>
    public static async Task<ControlApi> StartAsync(DashboardAddress address, string token, bool paused, Action stop)
    {
        ArgumentNullException.ThrowIfNull(address);
        var app = LocalWebHost.Build(address);
        var api = new ControlApi(app, new RequestGuard(LiveDashboard.AllowedHosts(address), token), paused, stop);
        api.Map();
        api.Address = await LocalWebHost.StartAsync(app, address, "--address", api.DisposeAsync, CancellationToken.None);
        return api;
    }

    /// <summary>The REST API <paramref name="start"/> asks for, started and announced on <paramref name="log"/>; null when it asks for none.</summary>
    public static async Task<ControlApi?> OpenAsync(Commands.RunStart? start, Action stop, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(log);
        if (start?.Api is not { } address)
        {
            return null;
        }
        var api = await StartAsync(address, start.Token, start.Paused, stop);
        log.WriteLine(start.TokenGiven
            ? $"api: {api.Address}v1/status"
            : $"api: {api.Address}v1/status (token for changes: {start.Token}; set {Commands.DistributedOptionSet.TokenVariable} to choose it)");
        return api;
    }

    /// <summary>
    /// The run is prepared with <paramref name="vus"/> VUs: says so in the status (k6's "paused before run") and
    /// waits until a PATCH resumes it or <paramref name="stop"/> is cancelled.
    /// </summary>
    public async Task WaitForResumeAsync(int vus, CancellationToken stop)
    {
        lock (_lock)
        {
            _vusMax = vus;
            _status = _paused ? PausedBeforeRun : Running;
        }
        await _resumed.Task.WaitAsync(stop).ConfigureAwait(false);
        lock (_lock)
        {
            _status = Running;
        }
    }

    void ILiveSink.OnSnapshot(LiveSnapshot snapshot)
    {
        lock (_lock)
        {
            _vus = snapshot.Scenarios.Sum(s => s.ActiveVus);
            _vusMax = snapshot.Scenarios.Sum(s => s.AllocatedVus);
            _tainted = snapshot.Thresholds.Any(t => !t.Passed && t.Observed is not null);
        }
    }

    void ILiveSink.OnCompleted(RunSummary summary)
    {
        lock (_lock)
        {
            _status = Ended;
            _vus = 0;
            _tainted = !summary.ThresholdsPassed;
        }
    }

    private void Map()
    {
        _app.Use(async (context, next) =>
        {
            var response = context.Response;
            response.Headers.CacheControl = "no-store";
            response.Headers.XContentTypeOptions = "nosniff";
            if (!_guard.HostAllowed(context.Request))
            {
                await Error(response, StatusCodes.Status403Forbidden, "Forbidden host",
                    "the REST API answers only to this machine's names and addresses", context.RequestAborted);
                return;
            }
            if (!HttpMethods.IsGet(context.Request.Method) && !_guard.HasToken(context.Request))
            {
                await Error(response, StatusCodes.Status403Forbidden, "Missing token",
                    $"changing the run needs the {RequestGuard.TokenHeader} header with the run's token (SURGE_API_TOKEN)", context.RequestAborted);
                return;
            }
            await next(context);
        });
        _app.MapGet("/v1/status", context => Status(context.Response, context.RequestAborted));
        _app.MapMethods("/v1/status", [HttpMethods.Patch], PatchAsync);
    }

    private async Task PatchAsync(HttpContext context)
    {
        var response = context.Response;
        JsonElement attributes;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = document.RootElement;
            attributes = (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data)
                && data.ValueKind == JsonValueKind.Object && data.TryGetProperty("attributes", out var inner) ? inner : root).Clone();
        }
        catch (JsonException exception)
        {
            await Error(response, StatusCodes.Status400BadRequest, "Invalid data", exception.Message, context.RequestAborted);
            return;
        }
        if (attributes.ValueKind != JsonValueKind.Object)
        {
            await Error(response, StatusCodes.Status400BadRequest, "Invalid data", "the body must be a JSON object, e.g. {\"paused\": false}", context.RequestAborted);
            return;
        }
        if (Change(attributes) is { } problem)
        {
            await Error(response, StatusCodes.Status409Conflict, "Status error", problem, context.RequestAborted);
            return;
        }
        await Status(response, context.RequestAborted);
    }

    // What the PATCH asks for, done; or why it cannot be.
    private string? Change(JsonElement attributes)
    {
        if (attributes.TryGetProperty("vus", out _) || attributes.TryGetProperty("vus-max", out _))
        {
            return "live VU changes are not supported through the REST API; the dashboard sets the VUs of externally-controlled scenarios";
        }
        if (attributes.TryGetProperty("stopped", out var stopped) && stopped.ValueKind == JsonValueKind.True)
        {
            lock (_lock)
            {
                _stopped = true;
            }
            _stop();
            return null;
        }
        if (!attributes.TryGetProperty("paused", out var paused))
        {
            return null;
        }
        if (paused.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return $"paused must be true or false, not {paused.GetRawText()}";
        }
        lock (_lock)
        {
            if (paused.ValueKind == JsonValueKind.True)
            {
                return _paused ? null : "the run has started; Surge pauses a run only before its start (--paused)";
            }
            _paused = false;
            if (_status == PausedBeforeRun)
            {
                _status = Running;
            }
        }
        _resumed.TrySetResult();
        return null;
    }

    private Task Status(HttpResponse response, CancellationToken cancellationToken)
    {
        int status, vus, vusMax;
        bool paused, stopped, tainted;
        lock (_lock)
        {
            (status, vus, vusMax, paused, stopped, tainted) = (_status, _vus, _vusMax, _paused, _stopped, _tainted);
        }
        return Json(response, StatusCodes.Status200OK, json =>
        {
            json.WriteStartObject("data");
            json.WriteString("type", "status");
            json.WriteString("id", "default");
            json.WriteStartObject("attributes");
            json.WriteNumber("status", status);
            json.WriteBoolean("paused", paused);
            json.WriteNumber("vus", vus);
            json.WriteNumber("vus-max", vusMax);
            json.WriteBoolean("stopped", stopped);
            json.WriteBoolean("running", status == Running);
            json.WriteBoolean("tainted", tainted);
            json.WriteEndObject();
            json.WriteEndObject();
        }, cancellationToken);
    }

    // k6's error shape: {"errors": [{"title": ..., "detail": ...}]}.
    private static Task Error(HttpResponse response, int code, string title, string detail, CancellationToken cancellationToken) =>
        Json(response, code, json =>
        {
            json.WriteStartArray("errors");
            json.WriteStartObject();
            json.WriteString("title", title);
            json.WriteString("detail", detail);
            json.WriteEndObject();
            json.WriteEndArray();
        }, cancellationToken);

    private static async Task Json(HttpResponse response, int code, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        response.StatusCode = code;
        response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }
        await response.Body.WriteAsync(buffer.ToArray(), cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
