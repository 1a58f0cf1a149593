namespace Surge.Plans;

/// <summary>Where a plan element came from, so that every error can point at it.</summary>
/// <param name="File">The file's path as the user gave it (a C# test's full caller path).</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column; 1 for C# callers, whose column is unknown.</param>
public sealed record SourceLocation(string File, int Line, int Column)
{
    /// <summary>"file:line:col", the form editors and CI annotations jump to.</summary>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
