namespace Surge.Reporting.Findings;

/// <summary>A piece of a finding: our own words, or a user-given name or expression shown as code.</summary>
internal sealed record FindingPart(string Text, bool IsCode);

/// <summary>One sentence of the findings, kept in parts so Markdown and HTML can each escape names their own way.</summary>
internal sealed record FindingLine(IReadOnlyList<FindingPart> Parts)
{
    public override string ToString() => string.Concat(Parts.Select(p => p.Text));
}

internal sealed record FindingSection(string Title, IReadOnlyList<FindingLine> Lines);

/// <summary>Marks a user-given string inside <see cref="FindingWords.Say"/>.</summary>
internal readonly record struct Code(string Text);

internal static class FindingWords
{
    /// <summary>A line from strings (our words) and <see cref="Code"/> values (names, expressions).</summary>
    public static FindingLine Say(params object[] parts) =>
        new([.. parts.Select(p => p is Code code ? new FindingPart(code.Text, true) : new FindingPart((string)p, false))]);
}
