using System.Globalization;
using Surge.Plans;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>
/// One test file's nodes: turns them into typed values, and every value that does not fit into a
/// <see cref="PlanException"/> at the node's line and column. <paramref name="fileName"/> is used only for messages.
/// </summary>
internal sealed class YamlSource(string fileName)
{
    public string FileName => fileName;

    public SourceLocation At(Mark mark) => new(fileName, (int)mark.Line, (int)mark.Column);

    public SourceLocation At(YamlNode node) => At(node.Start);

    /// <summary>
    /// The location of a character inside a single-line scalar; <paramref name="column"/> is 1-based within its value.
    /// Quoted scalars start at the quote, so the value starts one column later.
    /// </summary>
    public SourceLocation At(YamlScalarNode node, int column) =>
        new(fileName, (int)node.Start.Line, (int)node.Start.Column + (IsQuoted(node) ? 1 : 0) + column - 1);

    public PlanException Error(YamlNode node, string message) => new(message, At(node));

    public static bool IsQuoted(YamlScalarNode node) => node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;

    /// <summary>An empty value, ~ or null written without quotes: YAML's null.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" or "Null" or "NULL" } scalar
        && scalar.Tag.IsEmpty;

    /// <summary>A mapping with text keys; null reads as an empty mapping.</summary>
    public YamlMap Map(YamlNode node, string description, YamlNode? owner = null)
    {
        if (IsNull(node))
        {
            return new YamlMap(this, node, description, owner ?? node, []);
        }
        if (node is not YamlMappingNode mapping)
        {
            throw Error(node, $"{description} must be a mapping of keys to values, not {Describe(node)}");
        }
        var entries = new List<KeyValuePair<YamlScalarNode, YamlNode>>(mapping.Children.Count);
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode scalarKey || IsNull(key))
            {
                throw Error(key, $"keys in {description} must be plain names, not {Describe(key)}");
            }
            entries.Add(new(scalarKey, value));
        }
        return new YamlMap(this, node, description, owner ?? node, entries);
    }

    /// <summary>The items of a sequence; null reads as an empty sequence.</summary>
    public IReadOnlyList<YamlNode> Sequence(YamlNode node, string what, string example)
    {
        if (IsNull(node))
        {
            return [];
        }
        return node is YamlSequenceNode sequence
            ? [.. sequence.Children]
            : throw Error(node, $"{what} must be a list, e.g. {example}; got {Describe(node)}");
    }

    public YamlScalarNode Scalar(YamlNode node, string what)
    {
        if (node is not YamlScalarNode scalar)
        {
            throw Error(node, $"{what} must be a single value, not {Describe(node)}");
        }
        return IsNull(scalar) ? throw Error(node, $"{what} needs a value") : scalar;
    }

    public string Text(YamlNode node, string what) => Scalar(node, what).Value ?? "";

    /// <summary>Text that must be one of <paramref name="allowed"/>; anything else is an error naming the closest.</summary>
    public string OneOf(YamlNode node, string what, IReadOnlyCollection<string> allowed)
    {
        var text = Text(node, what);
        return allowed.Contains(text) ? text : throw Error(node, Suggest.Unknown(what, text, allowed));
    }

    /// <summary>Text that may be empty, e.g. a tag or environment value.</summary>
    public string TextOrEmpty(YamlNode node, string what) =>
        node is YamlScalarNode scalar
            ? IsNull(scalar) ? "" : scalar.Value ?? ""
            : throw Error(node, $"{what} must be a single value, not {Describe(node)}");

    public long WholeNumber(YamlNode node, string what, long min, long max = long.MaxValue)
    {
        var text = Text(node, what);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(node, $"{what} must be a whole number, got '{text}'");
        }
        if (value < min)
        {
            throw Error(node, $"{what} must be at least {min}, got {text}");
        }
        if (value > max)
        {
            throw Error(node, $"{what} must be at most {max}, got {text}");
        }
        return value;
    }

    public int Int(YamlNode node, string what, int min) => (int)WholeNumber(node, what, min, int.MaxValue);

    /// <summary>A finite number; <paramref name="positive"/> demands more than 0, otherwise at least 0.</summary>
    public double Number(YamlNode node, string what, bool positive)
    {
        var text = Text(node, what);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            throw Error(node, $"{what} must be a number, got '{text}'");
        }
        if (positive ? value <= 0 : value < 0)
        {
            throw Error(node, $"{what} must be {(positive ? "more than 0" : "0 or more")}, got {text}");
        }
        return value;
    }

    public bool Boolean(YamlNode node, string what)
    {
        var text = Text(node, what);
        return text.ToUpperInvariant() switch
        {
            "TRUE" => true,
            "FALSE" => false,
            _ => throw Error(node, $"{what} must be true or false, got '{text}'"),
        };
    }

    /// <summary>
    /// A k6 duration with its unit; <paramref name="positive"/> demands more than 0s. A bare number other than 0 is
    /// refused: k6 reads it as milliseconds, Artillery as seconds, and the file cannot say which was meant.
    /// </summary>
    public TimeSpan Duration(YamlNode node, string what, bool positive = false)
    {
        var text = Text(node, what);
        if (Durations.HasNoUnit(text))
        {
            throw Error(node, Durations.NoUnit(what, text));
        }
        if (!Durations.TryParse(text, out var value))
        {
            throw Error(node, $"{what}: '{text}' is not a duration; write e.g. 30s, 1m30s, 2.5s or 500ms");
        }
        if (positive && value <= TimeSpan.Zero)
        {
            throw Error(node, $"{what} must be longer than 0s, got {text}");
        }
        return value;
    }

    /// <summary>A mapping of names to text values, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs(YamlNode node, string what)
    {
        var map = Map(node, what);
        return [.. map.Entries.Select(e => new KeyValuePair<string, string>(e.Key.Value ?? "", TextOrEmpty(e.Value, $"{what} '{e.Key.Value}'")))];
    }

    public IReadOnlyDictionary<string, string> StringMap(YamlNode node, string what) =>
        Pairs(node, what).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar when IsNull(scalar) => "an empty value",
        YamlScalarNode scalar => $"'{scalar.Value}'",
        _ => "this",
    };
}
