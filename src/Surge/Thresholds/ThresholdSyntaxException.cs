namespace Surge.Thresholds;

/// <summary>A threshold key or expression did not parse; <see cref="Column"/> is 1-based within the text.</summary>
public sealed class ThresholdSyntaxException : FormatException
{
    /// <summary>A syntax error described by <paramref name="message"/> at 1-based <paramref name="column"/> of the text.</summary>
    public ThresholdSyntaxException(string message, int column) : base(message)
    {
        Column = column;
    }

    /// <summary>A syntax error that says only "invalid threshold", at column 1.</summary>
    public ThresholdSyntaxException() : this("invalid threshold", 1) { }

    /// <summary>A syntax error at column 1, the start of the text.</summary>
    public ThresholdSyntaxException(string message) : this(message, 1) { }

    /// <summary>A syntax error caused by <paramref name="innerException"/>; its <see cref="Column"/> is 0, unknown.</summary>
    public ThresholdSyntaxException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Where in the key or expression the mistake is, 1-based; 0 when unknown.</summary>
    public int Column { get; }
}
