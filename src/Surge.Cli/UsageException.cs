namespace Surge.Cli;

/// <summary>
/// A command line Surge cannot act on (an option without the one it needs, one the command cannot honour): reported
/// as every usage error is, one line and a hint to --help, exit <see cref="ExitCodes.UsageError"/>.
/// </summary>
public sealed class UsageException(string message) : Exception(message);
