using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Surge.Cli.Control;
using Surge.Cli.Dashboard;
using Surge.Plans;

namespace Surge.Cli.Commands;

/// <summary>
/// `surge resume ADDR...`: starts instances waiting with `--paused`, together. It first waits until every one reports
/// itself paused and ready (k6's status "paused before run") through its REST API, so that none is still loading when
/// the others start; then it sends every PATCH at once over connections already open, and says how far apart they went.
/// </summary>
public static class ResumeCommand
{
    /// <summary>Exit code when an instance could not be resumed: not ready in time, unreachable, or refused.</summary>
    public const int NotResumed = 1;

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);

    public static Command Create()
    {
        var addresses = new Argument<string[]>("address") { Description = $"Each instance's REST API, HOST:PORT or http://HOST:PORT (the --address it was started with; 127.0.0.1:{ControlApi.DefaultPort} by default)", Arity = ArgumentArity.OneOrMore };
        var token = new Option<string?>("--token") { Description = $"The instances' API token (default: ${DistributedOptionSet.TokenVariable})" };
        var timeout = new Option<string>("--timeout") { Description = "How long to wait for every instance to be paused and ready", DefaultValueFactory = _ => "60s" };
        var command = new Command("resume", "Start instances waiting with --paused, together, once all of them are ready") { addresses, token, timeout };
        command.SetAction(async (parse, cancellation) =>
        {
            var limit = Durations.TryParse(parse.GetValue(timeout)!, out var parsed) && parsed > TimeSpan.Zero
                ? parsed
                : throw new UsageException($"--timeout '{parse.GetValue(timeout)}' is not a duration; write e.g. 60s or 2m");
            var secret = parse.GetValue(token) ?? Environment.GetEnvironmentVariable(DistributedOptionSet.TokenVariable);
            if (string.IsNullOrEmpty(secret))
            {
                throw new UsageException($"resuming needs the instances' API token: set {DistributedOptionSet.TokenVariable} (as for the instances) or give --token");
            }
            var uris = parse.GetValue(addresses)!.Select(StatusUri).ToArray();
            return await ResumeAsync(uris, secret, limit, Console.Error, cancellation);
        });
        return command;
    }

    public static async Task<int> ResumeAsync(IReadOnlyList<Uri> statusUris, string token, TimeSpan timeout, TextWriter log, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(statusUris);
        ArgumentNullException.ThrowIfNull(log);
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(10) };
        var ready = await Task.WhenAll(statusUris.Select(uri => WaitUntilReadyAsync(http, uri, timeout, cancellation)));
        var notReady = ready.Where(problem => problem is not null).ToList();
        if (notReady.Count > 0)
        {
            foreach (var problem in notReady)
            {
                log.WriteLine($"error: {problem}");
            }
            log.WriteLine($"resumed none of the {statusUris.Count} instances: every one must be ready first");
            return NotResumed;
        }
        var body = Encoding.UTF8.GetBytes("""{"data":{"type":"status","id":"default","attributes":{"paused":false}}}""");
        var sent = new long[statusUris.Count];
        // Started one after another on this thread, each up to its first await: on a busy machine that was tighter
        // than a pool thread each (8 ms against 58 ms apart, 3 instances, load average 30 on 2 cores).
        var results = await Task.WhenAll(statusUris.Select((uri, i) =>
        {
            sent[i] = Stopwatch.GetTimestamp();
            return PatchAsync(http, uri, token, body, cancellation);
        }).ToArray());
        var spread = Stopwatch.GetElapsedTime(sent.Min(), sent.Max());
        var failed = 0;
        for (var i = 0; i < statusUris.Count; i++)
        {
            if (results[i] is { } problem)
            {
                failed++;
                log.WriteLine($"error: {Authority(statusUris[i])}: {problem}");
            }
            else
            {
                log.WriteLine($"resumed {Authority(statusUris[i])}");
            }
        }
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{statusUris.Count - failed} of {statusUris.Count} instances resumed; the requests went out within {spread.TotalMilliseconds:0.###} ms of each other"));
        return failed == 0 ? ExitCodes.Success : NotResumed;
    }

    // Polls until the instance says it is paused and prepared (k6's status 4); the reason when it never does.
    private static async Task<string?> WaitUntilReadyAsync(HttpClient http, Uri uri, TimeSpan timeout, CancellationToken cancellation)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        var last = "no answer yet";
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(uri, cancellation);
                var text = await response.Content.ReadAsStringAsync(cancellation);
                if (!response.IsSuccessStatusCode)
                {
                    last = $"HTTP {(int)response.StatusCode}: {Detail(text)}";
                }
                else
                {
                    using var document = JsonDocument.Parse(text);
                    var attributes = document.RootElement.GetProperty("data").GetProperty("attributes");
                    var paused = attributes.GetProperty("paused").GetBoolean();
                    var status = attributes.GetProperty("status").GetInt32();
                    if (paused && status == 4)
                    {
                        return null;
                    }
                    last = paused ? "still preparing" : "not paused (started without --paused, or already resumed)";
                    if (!paused)
                    {
                        return $"{Authority(uri)}: {last}";
                    }
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException or InvalidOperationException
                && !cancellation.IsCancellationRequested)
            {
                last = exception.Message;
            }
            if (Stopwatch.GetTimestamp() > deadline)
            {
                return $"{Authority(uri)}: not ready after {Durations.Format(timeout)} ({last})";
            }
            await Task.Delay(Poll, cancellation);
        }
    }

    private static async Task<string?> PatchAsync(HttpClient http, Uri uri, string token, byte[] body, CancellationToken cancellation)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, uri) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add(RequestGuard.TokenHeader, token);
            using var response = await http.SendAsync(request, cancellation);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}: {Detail(await response.Content.ReadAsStringAsync(cancellation))}";
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            return exception.Message;
        }
    }

    // k6's error body names the problem in errors[0].detail.
    private static string Detail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.GetProperty("errors")[0].GetProperty("detail").GetString() ?? body;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or IndexOutOfRangeException)
        {
            return body.Trim();
        }
    }

    /// <summary>HOST:PORT or http://HOST:PORT[/] as the URL of its /v1/status.</summary>
    public static Uri StatusUri(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var text = address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.IsDefaultPort && !address.Contains("://", StringComparison.Ordinal))
        {
            throw new UsageException($"'{address}' is not an instance's API address; write HOST:PORT, e.g. 127.0.0.1:{ControlApi.DefaultPort}");
        }
        return new Uri(uri, "/v1/status");
    }

    private static string Authority(Uri uri) => uri.Authority;
}
