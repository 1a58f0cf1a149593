namespace Surge.Templating;

/// <summary>
/// A template did not compile. <see cref="Line"/> and <see cref="Column"/> are 1-based within the template text
/// (Line is 1 unless the text spans lines), so a reader can move them to the file like a threshold's column.
/// </summary>
internal sealed class TemplateSyntaxException : FormatException
{
    public TemplateSyntaxException(string message, int line, int column) : base(message)
    {
        Line = line;
        Column = column;
    }

    public TemplateSyntaxException() : this("invalid template", 1, 1) { }

    public TemplateSyntaxException(string message) : this(message, 1, 1) { }

    public TemplateSyntaxException(string message, Exception innerException) : base(message, innerException) { }

    public int Line { get; } = 1;

    public int Column { get; } = 1;
}
