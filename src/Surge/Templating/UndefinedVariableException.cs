using Surge.Plans;

namespace Surge.Templating;

/// <summary>
/// A template named a variable that no VU variable, data field or setup output defines when it rendered.
/// The engine counts it as a failed iteration, not a fatal error: a capture may only fail now and then.
/// </summary>
internal sealed class UndefinedVariableException : Exception
{
    public UndefinedVariableException(string variableName, SourceLocation? location)
        : base(Describe(variableName, location))
    {
        VariableName = variableName;
        Location = location;
    }

    public UndefinedVariableException() : this("?", (SourceLocation?)null) { }

    public UndefinedVariableException(string message) : base(message)
    {
        VariableName = "?";
    }

    public UndefinedVariableException(string message, Exception innerException) : base(message, innerException)
    {
        VariableName = "?";
    }

    public string VariableName { get; }

    public SourceLocation? Location { get; }

    private static string Describe(string name, SourceLocation? location)
    {
        var where = location is null ? "" : $"{location}: ";
        var hint = TemplateHelpers.Suggest(name) is { } helper
            ? $" (helpers are case-sensitive: did you mean {helper}?)"
            : "";
        return $"{where}variable '{name}' is not defined: capture it, set it, or read it from data or setup{hint}";
    }
}
