namespace Surge.Plans;

/// <summary>Where a plan element came from, so that every error can point at it.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
