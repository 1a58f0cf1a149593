using System.Diagnostics.CodeAnalysis;
using System.Text;
using Surge.Plans;

namespace Surge.Templating;

/// <summary>
/// A text with <c>{{ expression }}</c> holes, compiled once and rendered per iteration.
/// <list type="bullet">
/// <item><c>{{ name }}</c>: a variable (VU variable, data field or setup output), looked up when rendering.</item>
/// <item><c>{{ uuid }}</c>, <c>{{ randomInt(1, 100) }}</c> (inclusive), <c>{{ randomString(12) }}</c> (A-Z, a-z,
/// 0-9), <c>{{ timestamp }}</c> (Unix ms), <c>{{ timestamp("s") }}</c>, <c>{{ timestamp("iso") }}</c> (UTC).</item>
/// <item><c>{{ env("NAME") }}</c> or <c>{{ env("NAME", "default") }}</c>: resolved at compile time from the
/// environment given to <see cref="Parse"/>, so it costs nothing per iteration.</item>
/// <item><c>{{{{</c> writes a literal <c>{{</c>; a <c>}}</c> outside an expression is plain text.</item>
/// </list>
/// Helper names win over variables of the same name. A template is immutable and renders on any number of threads.
/// </summary>
internal sealed class Template
{
    private readonly TemplatePart[] _parts;
    private readonly string? _constant;

    internal Template(string text, TemplatePart[] parts, string? constant)
    {
        Text = text;
        _parts = parts;
        _constant = constant;
        VariableNames = parts.OfType<VariablePart>().Select(p => p.Name).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The source text, as written.</summary>
    public string Text { get; }

    /// <summary>True when every render yields the same text (no variables, no random or time helpers).</summary>
    public bool IsConstant => _constant is not null;

    /// <summary>The variables the template reads, in order of first use, so a caller can check them ahead.</summary>
    public IReadOnlyList<string> VariableNames { get; }

    /// <summary>
    /// Compiles <paramref name="text"/>. <paramref name="where"/> is named by render-time errors;
    /// <paramref name="environment"/> answers <c>env("NAME")</c> (e.g. -e and .env merged over the process environment);
    /// without it, the process environment does.
    /// </summary>
    /// <exception cref="TemplateSyntaxException">The text is not a valid template; its line and column say where.</exception>
    public static Template Parse(
        string text, SourceLocation? where = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TemplateParser(text, where, environment).Parse();
    }

    /// <summary>The rendered text when <see cref="IsConstant"/>, e.g. to serialize a request once.</summary>
    public bool TryGetConstant([NotNullWhen(true)] out string? text)
    {
        text = _constant;
        return text is not null;
    }

    /// <exception cref="UndefinedVariableException">A variable the template reads is not defined.</exception>
    public string Render(IVariables variables)
    {
        if (_constant is not null)
        {
            return _constant;
        }
        var builder = new StringBuilder();
        RenderTo(builder, variables);
        return builder.ToString();
    }

    /// <summary>Appends the rendered text to a caller's builder, which it may reuse across iterations.</summary>
    /// <exception cref="UndefinedVariableException">A variable the template reads is not defined.</exception>
    public void RenderTo(StringBuilder builder, IVariables variables)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var part in _parts)
        {
            part.AppendTo(builder, variables);
        }
    }

    public override string ToString() => Text;
}
