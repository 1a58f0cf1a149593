using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Surge.Cli.Progress;
using Surge.Engine;
using Surge.Reporting.Html;
using Surge.Results;

namespace Surge.Cli.Dashboard;

/// <summary>
/// Turns the run's updates into server-sent events and fans them out. Each browser gets a bounded queue; one that
/// falls behind is dropped (its EventSource reconnects and catches up from the recent events kept here), so a slow
/// browser never slows the feed, let alone the run. Events carry sequence numbers: a page served with the timeline
/// up to event n subscribes after n and gets exactly the events it lacks.
/// </summary>
public sealed class DashboardFeed : IAsyncDisposable
{
    // Two minutes of events at the default interval; a client's queue holds them all, so a catch-up always fits.
    private const int HistoryLength = 120;
    private const int ClientQueueLength = HistoryLength + 8;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Default };

    private readonly Channel<object> _inbox = Channel.CreateBounded<object>(
        new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly ExternalControl _control;
    private readonly Lock _lock = new();
    private readonly List<ChannelWriter<string>> _clients = [];
    private readonly Queue<(long Seq, string Message)> _history = new();
    private readonly Task _pump;
    private long _seq;
    private RunSummary? _soFar;
    private string? _lastUpdate;
    private RunSummary? _final;
    private string? _done;

    public DashboardFeed(ExternalControl control)
    {
        _control = control;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Never blocks: a full inbox drops its oldest update rather than hold up the collector.</summary>
    public void Post(LiveUpdate update) => _inbox.Writer.TryWrite(update);

    /// <summary>The run ended: every page gets the final summary, and new pages show it.</summary>
    public void Complete(RunSummary summary)
    {
        _inbox.Writer.TryWrite(summary);
        _inbox.Writer.TryComplete();
    }

    /// <summary>
    /// The page to serve now: the run so far (null before the first interval) or the final summary, and the last
    /// update's JSON, whose scenario rows a new page shows before its first event arrives.
    /// </summary>
    public (long Seq, RunSummary? Summary, bool Finished, string? LastUpdate) Current()
    {
        lock (_lock)
        {
            return (_seq, _final ?? _soFar, _final is not null, _lastUpdate);
        }
    }

    /// <summary>
    /// A new browser: the events after <paramref name="after"/> it missed, then live ones. A page too old to catch up
    /// gets `reload`; after the end, every subscriber gets the final `done` event alone.
    /// </summary>
    public ChannelReader<string> Subscribe(long? after)
    {
        var queue = Channel.CreateBounded<string>(new BoundedChannelOptions(ClientQueueLength) { SingleReader = true });
        lock (_lock)
        {
            if (_done is not null)
            {
                queue.Writer.TryWrite(_done);
                queue.Writer.TryComplete();
                return queue.Reader;
            }
            if (after is { } last && last < _seq)
            {
                if (_history.Count == 0 || _history.Peek().Seq > last + 1)
                {
                    queue.Writer.TryWrite(Frame(null, "reload", "{}"));
                    queue.Writer.TryComplete();
                    return queue.Reader;
                }
                foreach (var (seq, message) in _history.Where(h => h.Seq > last))
                {
                    queue.Writer.TryWrite(message);
                }
            }
            _clients.Add(queue.Writer);
        }
        return queue.Reader;
    }

    private async Task PumpAsync()
    {
        await foreach (var item in _inbox.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (item is LiveUpdate update)
            {
                Publish(update);
            }
            else
            {
                Finish((RunSummary)item);
            }
        }
    }

    private void Publish(LiveUpdate update)
    {
        var json = UpdateJson(update);
        lock (_lock)
        {
            var seq = ++_seq;
            var message = Frame(seq, "update", json);
            _history.Enqueue((seq, message));
            if (_history.Count > HistoryLength)
            {
                _history.Dequeue();
            }
            _soFar = update.SoFar;
            _lastUpdate = json;
            foreach (var client in _clients.ToList())
            {
                if (!client.TryWrite(message))
                {
                    // Fallen behind by a whole queue: drop it; its browser reconnects and catches up or reloads.
                    client.TryComplete();
                    _clients.Remove(client);
                }
            }
        }
    }

    private void Finish(RunSummary summary)
    {
        var message = Frame(null, "done", "{\"report\":" + HtmlReport.Data(summary) + "}");
        lock (_lock)
        {
            _final = summary;
            _done = message;
            EndClients();
        }
    }

    private void EndClients()
    {
        foreach (var client in _clients)
        {
            if (_done is not null)
            {
                client.TryWrite(_done);
            }
            client.TryComplete();
        }
        _clients.Clear();
    }

    private static string Frame(long? seq, string name, string json)
    {
        var frame = new StringBuilder();
        if (seq is { } id)
        {
            frame.Append("id: ").Append(id.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return frame.Append("event: ").Append(name).Append("\ndata: ").Append(json).Append("\n\n").ToString();
    }

    private string UpdateJson(LiveUpdate update)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WritePropertyName("point");
            json.WriteRawValue(HtmlReport.PointData(update.Point, update.SoFar), skipInputValidation: true);
            json.WritePropertyName("status");
            json.WriteRawValue(HtmlReport.StatusData(update.SoFar), skipInputValidation: true);
            json.WriteStartArray("scenarios");
            foreach (var s in update.Scenarios)
            {
                json.WriteStartObject();
                json.WriteString("name", s.Name);
                json.WriteString("executor", s.Executor);
                json.WriteString("state", ProgressLine.State(s.State));
                json.WriteNumber("vus", s.ActiveVus);
                json.WriteNumber("maxVus", s.PeakVus);
                if (_control.TargetVus(s.Name) is { } target)
                {
                    json.WriteNumber("target", target);
                }
                else
                {
                    json.WriteNull("target");
                }
                json.WriteNumber("iterations", s.CompletedIterations);
                json.WriteNumber("interrupted", s.InterruptedIterations);
                json.WriteNumber("dropped", s.DroppedIterations);
                json.WriteNumber("elapsed", Math.Round(s.Elapsed.TotalSeconds, 3));
                json.WriteNumber("duration", Math.Round(s.Duration.TotalSeconds, 3));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public async ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        try
        {
            await _pump.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The final event could not be prepared in time; the pages keep what they have.
        }
        lock (_lock)
        {
            EndClients();
        }
    }
}
