namespace Surge.Plans;

/// <summary>A test the user wrote is invalid. Maps to exit code 104; never shown as a stack trace.</summary>
public sealed class PlanException : Exception
{
    /// <summary>
    /// A plan error; its <see cref="Exception.Message"/> is <paramref name="message"/> prefixed with
    /// "file:line:col: " when <paramref name="location"/> is known.
    /// </summary>
    public PlanException(string message, SourceLocation? location = null)
        : base(location is null ? message : $"{location}: {message}")
    {
        Reason = message;
        Location = location;
    }

    /// <summary>A plan error that says only "invalid test"; prefer one that names what is wrong.</summary>
    public PlanException() : this("invalid test") { }

    /// <summary>A plan error without a location, caused by <paramref name="innerException"/> (a file that did not load, say).</summary>
    public PlanException(string message, Exception innerException) : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>What is wrong, without the location prefix, for callers that report the location their own way.</summary>
    public string Reason { get; }

    /// <summary>Where the mistake is in the test source; null when it has no single place (a command-line option, a C# plan built without caller info).</summary>
    public SourceLocation? Location { get; }
}
