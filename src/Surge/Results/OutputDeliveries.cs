using System.Net.Http;
using System.Net.Sockets;
using System.Text;

namespace Surge.Results;

/// <summary>
/// What one output delivered and dropped, counted from its own task and read by the host for the summary's warnings,
/// e.g. `output prometheus-rw: 3 of 120 batches dropped (connection_refused)`. A batch is whatever the output sends
/// at once: one push, one write request.
/// </summary>
public sealed class OutputDeliveries
{
    private const int MaxReasons = 3;

    private readonly Lock _lock = new();
    private readonly List<string> _reasons = [];
    private readonly List<string> _problems = [];
    private long _delivered;
    private long _dropped;
    private long _intervalsDropped;
    private long _intervals;

    /// <summary>Batches the output reported sent with <see cref="Sent"/>.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Batches lost: reported with <see cref="Drop"/>, or a <see cref="IRunOutput.WriteAsync"/> that threw.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Intervals the host dropped because the output's queue was full (its backend fell behind).</summary>
    public long IntervalsDropped => Interlocked.Read(ref _intervalsDropped);

    /// <summary>Counts <paramref name="batches"/> as delivered; call it once the backend accepted them.</summary>
    public void Sent(long batches = 1) => Interlocked.Add(ref _delivered, batches);

    /// <summary>
    /// Counts <paramref name="batches"/> as lost for <paramref name="reason"/>, a short name such as
    /// <see cref="Reason"/> gives; the warning lists the first three distinct reasons. Safe from any thread.
    /// </summary>
    public void Drop(string reason, long batches = 1)
    {
        Interlocked.Add(ref _dropped, batches);
        lock (_lock)
        {
            if (_reasons.Count < MaxReasons && !_reasons.Contains(reason))
            {
                _reasons.Add(reason);
            }
        }
    }

    /// <summary>A problem that lost no batch by itself, e.g. a database that could not be created at the start.</summary>
    public void Problem(string text)
    {
        lock (_lock)
        {
            if (_problems.Count < MaxReasons && !_problems.Contains(text))
            {
                _problems.Add(text);
            }
        }
    }

    internal void IntervalQueued() => Interlocked.Increment(ref _intervals);

    internal void IntervalDropped() => Interlocked.Increment(ref _intervalsDropped);

    /// <summary>The summary's warning for this output, or null when everything arrived.</summary>
    public string? Warning(string name)
    {
        var parts = new List<string>();
        lock (_lock)
        {
            var dropped = Dropped;
            if (dropped > 0)
            {
                parts.Add($"{dropped} of {dropped + Delivered} batches dropped ({string.Join(", ", _reasons)})");
            }
            if (IntervalsDropped > 0)
            {
                parts.Add($"{IntervalsDropped} of {Interlocked.Read(ref _intervals)} intervals dropped before sending (its queue was full: the backend fell behind)");
            }
            parts.AddRange(_problems);
        }
        return parts.Count == 0 ? null : $"output {name}: {string.Join("; ", parts)}";
    }

    /// <summary>
    /// A short, stable name for why a delivery failed, in the style of socket errors: connection_refused, timeout,
    /// host_not_found, or the exception's message when it says nothing more specific.
    /// </summary>
    public static string Reason(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SocketException socket:
                    return SnakeCase(socket.SocketErrorCode.ToString());
                case TimeoutException:
                    return "timeout";
                case HttpRequestException { StatusCode: { } status }:
                    return $"http_{(int)status}";
            }
        }
        return exception is OperationCanceledException ? "timeout" : exception.Message;
    }

    private static string SnakeCase(string pascal)
    {
        var text = new StringBuilder(pascal.Length + 4);
        foreach (var c in pascal)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
