using System.Globalization;
using System.Text;

namespace Surge.Json;

internal enum SegmentKind
{
    Property,
    Index,
    Length,

    /// <summary>[*]: any element of an array.</summary>
    AnyElement,
}

internal readonly record struct PathSegment(SegmentKind Kind, string Name, int Index);

/// <summary>Reads <c>$.a['b'][0].length</c> or <c>$.items[*].id</c> into segments, naming the column of the first mistake.</summary>
internal static class JsonPathParser
{
    public static PathSegment[] Parse(string text)
    {
        if (text.Length == 0)
        {
            throw new JsonPathSyntaxException("the JSON path is empty: write e.g. $.data.id", 1);
        }
        var segments = new List<PathSegment>();
        var position = text[0] == '$' ? 1 : 0;
        if (position == 0 && text[0] is not ('.' or '['))
        {
            segments.Add(DotName(text, ref position));
        }
        while (position < text.Length)
        {
            switch (text[position])
            {
                case '.':
                    position++;
                    if (position < text.Length && text[position] == '.')
                    {
                        throw new JsonPathSyntaxException($"'{text}': recursive descent (..) is not supported", position);
                    }
                    segments.Add(DotName(text, ref position));
                    break;
                case '[':
                    segments.Add(Bracket(text, ref position));
                    break;
                default:
                    throw new JsonPathSyntaxException(
                        $"'{text}': unexpected '{text[position]}', expected '.' or '['", position + 1);
            }
        }
        return [.. segments];
    }

    private static PathSegment DotName(string text, ref int position)
    {
        var start = position;
        while (position < text.Length && text[position] is not ('.' or '['))
        {
            var c = text[position];
            if (c is ']' or '\'' or '"' or '*' or '(' or ')' or '?' or '@' || char.IsWhiteSpace(c))
            {
                var what = c == '*' ? "write [*] for any element of an array" : $"'{c}' in a name needs ['...']";
                throw new JsonPathSyntaxException($"'{text}': {what}", position + 1);
            }
            position++;
        }
        if (position == start)
        {
            throw new JsonPathSyntaxException($"'{text}': expected a property name", start + 1);
        }
        var name = text[start..position];
        return new PathSegment(name == "length" ? SegmentKind.Length : SegmentKind.Property, name, 0);
    }

    private static PathSegment Bracket(string text, ref int position)
    {
        var open = position++;
        SkipSpaces(text, ref position);
        if (position >= text.Length)
        {
            throw new JsonPathSyntaxException($"'{text}': '[' is never closed", open + 1);
        }
        PathSegment segment;
        var c = text[position];
        if (c is '\'' or '"')
        {
            segment = new PathSegment(SegmentKind.Property, QuotedName(text, ref position), 0);
        }
        else if (char.IsAsciiDigit(c) || c == '-')
        {
            var start = position++;
            while (position < text.Length && char.IsAsciiDigit(text[position]))
            {
                position++;
            }
            if (!int.TryParse(text.AsSpan(start, position - start), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var index))
            {
                throw new JsonPathSyntaxException($"'{text}': '{text[start..position]}' is not an array index", start + 1);
            }
            segment = new PathSegment(SegmentKind.Index, "", index);
        }
        else if (c == '*')
        {
            position++;
            segment = new PathSegment(SegmentKind.AnyElement, "", 0);
        }
        else
        {
            throw new JsonPathSyntaxException($"'{text}': expected an index, * or a quoted name after '['", position + 1);
        }
        SkipSpaces(text, ref position);
        if (position >= text.Length || text[position] != ']')
        {
            throw new JsonPathSyntaxException($"'{text}': expected ']' to close the '[' at column {open + 1}", position + 1);
        }
        position++;
        return segment;
    }

    /// <summary>A name in quotes; a backslash escapes the next character (the quote or a backslash).</summary>
    private static string QuotedName(string text, ref int position)
    {
        var quote = text[position];
        var start = position++;
        var name = new StringBuilder();
        while (position < text.Length && text[position] != quote)
        {
            if (text[position] == '\\' && position + 1 < text.Length)
            {
                position++;
            }
            name.Append(text[position++]);
        }
        if (position >= text.Length)
        {
            throw new JsonPathSyntaxException($"'{text}': the name starting with {quote} is never closed", start + 1);
        }
        position++;
        return name.ToString();
    }

    private static void SkipSpaces(string text, ref int position)
    {
        while (position < text.Length && text[position] == ' ')
        {
            position++;
        }
    }
}
