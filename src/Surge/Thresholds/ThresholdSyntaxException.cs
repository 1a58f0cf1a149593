namespace Surge.Thresholds;

/// <summary>A threshold key or expression did not parse; <see cref="Column"/> is 1-based within the text.</summary>
public sealed class ThresholdSyntaxException : FormatException
{
    public ThresholdSyntaxException(string message, int column) : base(message)
    {
        Column = column;
    }

    public ThresholdSyntaxException() : this("invalid threshold", 1) { }

    public ThresholdSyntaxException(string message) : this(message, 1) { }

    public ThresholdSyntaxException(string message, Exception innerException) : base(message, innerException) { }

    public int Column { get; }
}
