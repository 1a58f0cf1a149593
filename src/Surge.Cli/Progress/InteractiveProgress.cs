using Surge.Results;

namespace Surge.Cli.Progress;

/// <summary>On a terminal: a block of lines (one per scenario plus totals) redrawn in place every interval.</summary>
public sealed class InteractiveProgress(TextWriter output) : ILiveSink
{
    private int _linesDrawn;

    public void OnSnapshot(LiveSnapshot snapshot)
    {
        var width = snapshot.Scenarios.Max(s => s.Name.Length);
        var lines = snapshot.Scenarios.Select(s => ProgressLine.Scenario(s, width, withBar: true))
            .Append(ProgressLine.Totals(snapshot))
            .ToList();
        if (_linesDrawn > 0)
        {
            output.Write($"\u001b[{_linesDrawn}A");
        }
        foreach (var line in lines)
        {
            output.Write("\u001b[2K");
            output.WriteLine(line);
        }
        output.Flush();
        _linesDrawn = lines.Count;
    }

    public void OnCompleted(RunSummary summary) => output.WriteLine();
}
