using Surge.Results;

namespace Surge.Engine;

/// <summary>
/// When in the run arrivals were dropped, as spans: a drop within a second of the previous one extends its span.
/// Kept to a few dozen spans however long the run (the last one stretches), for a warning that says when.
/// </summary>
internal sealed class DropSpans
{
    private const int MaxSpans = 50;
    private static readonly TimeSpan Gap = TimeSpan.FromSeconds(1);

    private readonly List<(TimeSpan From, TimeSpan To)> _spans = [];

    public void Add(TimeSpan at)
    {
        if (_spans.Count > 0 && (at - _spans[^1].To < Gap || _spans.Count == MaxSpans))
        {
            _spans[^1] = (_spans[^1].From, at);
            return;
        }
        _spans.Add((at, at));
    }

    /// <summary>E.g. "at 0:00-0:01 and 5:03", "at 0:00, 1:10-1:12 and 2 more spans".</summary>
    public override string ToString()
    {
        const int shown = 3;
        var parts = _spans.Take(shown).Select(s => RunTime.Format(s.From) == RunTime.Format(s.To) ? RunTime.Format(s.From) : $"{RunTime.Format(s.From)}-{RunTime.Format(s.To)}").ToList();
        var more = _spans.Count - shown;
        return more > 0
            ? $"at {string.Join(", ", parts)} and {more} more span{(more == 1 ? "" : "s")}"
            : parts.Count == 1 ? $"at {parts[0]}" : $"at {string.Join(", ", parts[..^1])} and {parts[^1]}";
    }
}
