namespace Surge.Plans;

/// <summary>A test the user wrote is invalid. Maps to exit code 104; never shown as a stack trace.</summary>
public sealed class PlanException : Exception
{
    public PlanException(string message, SourceLocation? location = null)
        : base(location is null ? message : $"{location}: {message}")
    {
        Reason = message;
        Location = location;
    }

    public PlanException() : this("invalid test") { }

    public PlanException(string message, Exception innerException) : base(message, innerException)
    {
        Reason = message;
    }

    public string Reason { get; }

    public SourceLocation? Location { get; }
}
