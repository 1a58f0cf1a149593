namespace Surge.Cli;

/// <summary>k6's exit codes, so CI scripts written for k6 keep working.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int ThresholdsFailed = 99;
    public const int InvalidTest = 104;
    public const int StoppedBySignal = 105;
    public const int ScriptError = 107;
}
