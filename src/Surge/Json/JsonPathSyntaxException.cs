namespace Surge.Json;

/// <summary>A JSON path did not parse; <see cref="Column"/> is 1-based within the path text.</summary>
internal sealed class JsonPathSyntaxException : FormatException
{
    public JsonPathSyntaxException(string message, int column) : base(message)
    {
        Column = column;
    }

    public JsonPathSyntaxException() : this("invalid JSON path", 1) { }

    public JsonPathSyntaxException(string message) : this(message, 1) { }

    public JsonPathSyntaxException(string message, Exception innerException) : base(message, innerException) { }

    public int Column { get; } = 1;
}
