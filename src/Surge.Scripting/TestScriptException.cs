using Surge.Plans;

namespace Surge.Scripting;

/// <summary>
/// The user's own code failed while building the plan (an exception thrown by <c>Plan()</c>). Unlike a
/// <see cref="PlanException"/> the test compiled and is well-formed, so the CLI maps this to exit 107 and shows
/// <see cref="ScriptStackTrace"/>, whose frames in the test file carry file:line.
/// </summary>
public sealed class TestScriptException : Exception
{
    public TestScriptException(string message, Exception innerException, SourceLocation? location)
        : base(location is null ? message : $"{location}: {message}", innerException)
    {
        Reason = message;
        Location = location;
    }

    public TestScriptException() : this("test script failed") { }

    public TestScriptException(string message) : base(message)
    {
        Reason = message;
    }

    public TestScriptException(string message, Exception innerException) : this(message, innerException, null) { }

    public string Reason { get; }

    /// <summary>The innermost frame in the test file, when its debug information was found.</summary>
    public SourceLocation? Location { get; }

    /// <summary>The stack trace of what the user's code threw.</summary>
    public string ScriptStackTrace => InnerException?.StackTrace ?? "";
}
