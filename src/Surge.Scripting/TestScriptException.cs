using Surge.Plans;

namespace Surge.Scripting;

/// <summary>
/// The user's own code failed while building the plan (an exception thrown by <c>Plan()</c>). Unlike a
/// <see cref="PlanException"/> the test compiled and is well-formed, so the CLI maps this to exit 107 and shows
/// <see cref="ScriptStackTrace"/>, whose frames in the test file carry file:line.
/// </summary>
public sealed class TestScriptException : Exception
{
    /// <summary>What the user's code threw, and where in the test file.</summary>
    /// <param name="message">What went wrong, without the location; it becomes <see cref="Reason"/>.</param>
    /// <param name="innerException">The exception the user's code threw.</param>
    /// <param name="location">The innermost frame in the test file; null when unknown. The message starts with it.</param>
    public TestScriptException(string message, Exception innerException, SourceLocation? location)
        : base(location is null ? message : $"{location}: {message}", innerException)
    {
        Reason = message;
        Location = location;
    }

    /// <summary>A failure with the message "test script failed" and no location.</summary>
    public TestScriptException() : this("test script failed") { }

    /// <summary>A failure with a message and no location.</summary>
    /// <param name="message">What went wrong; it becomes <see cref="Reason"/>.</param>
    public TestScriptException(string message) : base(message)
    {
        Reason = message;
    }

    /// <summary>What the user's code threw, with no location.</summary>
    /// <param name="message">What went wrong; it becomes <see cref="Reason"/>.</param>
    /// <param name="innerException">The exception the user's code threw.</param>
    public TestScriptException(string message, Exception innerException) : this(message, innerException, null) { }

    /// <summary>The message without the file:line:col prefix, e.g. "Plan() threw InvalidOperationException: ...".</summary>
    public string Reason { get; }

    /// <summary>The innermost frame in the test file, when its debug information was found.</summary>
    public SourceLocation? Location { get; }

    /// <summary>The stack trace of what the user's code threw.</summary>
    public string ScriptStackTrace => InnerException?.StackTrace ?? "";
}
