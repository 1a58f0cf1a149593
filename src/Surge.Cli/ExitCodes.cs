namespace Surge.Cli;

/// <summary>
/// k6's exit codes, so CI scripts written for k6 keep working; Surge's own codes lie outside k6's range (97-110).
/// </summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command line could not be parsed: an unknown option or command, a missing or malformed value.</summary>
    public const int UsageError = 2;

    public const int ThresholdsFailed = 99;
    public const int InvalidTest = 104;
    public const int StoppedBySignal = 105;
    public const int ScriptError = 107;

    /// <summary>
    /// The run passed, but an output file could not be written at the end (a full disk); every other output was
    /// written and the failed one named. Never hides a verdict: a run whose thresholds failed still exits 99.
    /// </summary>
    public const int OutputsIncomplete = 120;
}
