using System.Globalization;
using System.Text;
using Surge.Plans;

namespace Surge.Templating;

/// <summary>A hand-written scanner: literal text up to <c>{{</c>, then one expression up to <c>}}</c>.</summary>
internal sealed class TemplateParser(string text, SourceLocation? where, IReadOnlyDictionary<string, string>? environment)
{
    private const string Open = "{{";
    private const string EscapedOpen = "{{{{";
    private const int MaxRandomStringLength = 1_000_000;
    // Integers JSON and JavaScript carry exactly; it also keeps max - min + 1 inside a long.
    private const long MaxSafeInteger = 9_007_199_254_740_991;

    private readonly List<TemplatePart> _parts = [];
    private readonly StringBuilder _literal = new();
    private int _position;
    private int _expressionStart;

    public Template Parse()
    {
        while (_position < text.Length)
        {
            var open = text.IndexOf(Open, _position, StringComparison.Ordinal);
            if (open < 0)
            {
                _literal.Append(text, _position, text.Length - _position);
                break;
            }
            _literal.Append(text, _position, open - _position);
            if (string.CompareOrdinal(text, open, EscapedOpen, 0, EscapedOpen.Length) == 0)
            {
                _literal.Append(Open);
                _position = open + EscapedOpen.Length;
                continue;
            }
            _expressionStart = open;
            _position = open + Open.Length;
            ParseExpression();
        }
        if (_parts.Count == 0)
        {
            var constant = _literal.ToString();
            return new Template(text, [new LiteralPart(constant)], constant);
        }
        FlushLiteral();
        return new Template(text, [.. _parts], constant: null);
    }

    private void ParseExpression()
    {
        var token = Next();
        if (token.Kind == TokenKind.Close)
        {
            throw Error("empty expression: write a variable name or a helper between {{ and }}", _expressionStart);
        }
        if (token.Kind != TokenKind.Name)
        {
            throw Error($"expected a variable name or a helper, not {Describe(token)}", token.Start);
        }
        var name = token;
        List<Token>? arguments = null;
        token = Next();
        if (token.Kind == TokenKind.OpenParen)
        {
            arguments = ParseArguments();
            token = Next();
        }
        if (token.Kind != TokenKind.Close)
        {
            throw Error($"expected '}}}}' after '{name.Text}', not {Describe(token)}", token.Start);
        }
        Add(name, arguments);
    }

    private List<Token> ParseArguments()
    {
        var arguments = new List<Token>();
        var token = Next();
        if (token.Kind == TokenKind.CloseParen)
        {
            return arguments;
        }
        while (true)
        {
            if (token.Kind is not (TokenKind.Number or TokenKind.String))
            {
                throw Error($"expected a number or a quoted string as an argument, not {Describe(token)}", token.Start);
            }
            arguments.Add(token);
            token = Next();
            if (token.Kind == TokenKind.CloseParen)
            {
                return arguments;
            }
            if (token.Kind != TokenKind.Comma)
            {
                throw Error($"expected ',' or ')' after an argument, not {Describe(token)}", token.Start);
            }
            token = Next();
        }
    }

    private void Add(Token name, List<Token>? arguments)
    {
        switch (name.Text)
        {
            case "uuid":
                Arity(name, arguments, 0, 0, "uuid");
                AddDynamic(UuidPart.Instance);
                break;
            case "randomInt":
                Arity(name, arguments, 2, 2, "randomInt(min, max)");
                var min = Integer(arguments![0], "randomInt", -MaxSafeInteger, MaxSafeInteger);
                var max = Integer(arguments[1], "randomInt", -MaxSafeInteger, MaxSafeInteger);
                if (min > max)
                {
                    throw Error($"randomInt({min}, {max}): min must not exceed max", name.Start);
                }
                AddDynamic(new RandomIntPart(min, max));
                break;
            case "randomString":
                Arity(name, arguments, 1, 1, "randomString(length)");
                var length = Integer(arguments![0], "randomString", 1, MaxRandomStringLength);
                AddDynamic(new RandomStringPart((int)length));
                break;
            case "timestamp":
                Arity(name, arguments, 0, 1, "timestamp or timestamp(\"iso\")");
                AddDynamic(new TimestampPart(arguments is [var format] ? Format(format) : TimestampFormat.UnixMilliseconds));
                break;
            case "env":
                Arity(name, arguments, 1, 2, "env(\"NAME\") or env(\"NAME\", \"default\")");
                _literal.Append(Environment(name, arguments!));
                break;
            default:
                if (arguments is not null)
                {
                    var suggestion = TemplateHelpers.Suggest(name.Text) is { } helper ? $"did you mean {helper}? " : "";
                    throw Error(
                        $"unknown helper '{name.Text}': {suggestion}Helpers are {TemplateHelpers.Usage}", name.Start);
                }
                AddDynamic(new VariablePart(name.Text, where));
                break;
        }
    }

    private void Arity(Token name, List<Token>? arguments, int min, int max, string usage)
    {
        var count = arguments?.Count ?? 0;
        if (count < min || count > max)
        {
            var expected = min == max ? $"{min}" : $"{min} to {max}";
            throw Error($"{name.Text} takes {expected} argument{(max == 1 ? "" : "s")}, not {count}: write {usage}", name.Start);
        }
    }

    private long Integer(Token argument, string helper, long min, long max)
    {
        if (argument.Kind != TokenKind.Number)
        {
            throw Error($"{helper} takes whole numbers, not {Describe(argument)}", argument.Start);
        }
        if (argument.Number < min || argument.Number > max)
        {
            throw Error($"{helper}'s argument {argument.Text} is out of range ({min} to {max})", argument.Start);
        }
        return argument.Number;
    }

    private TimestampFormat Format(Token argument) => argument is { Kind: TokenKind.String }
        ? argument.Text switch
        {
            "ms" => TimestampFormat.UnixMilliseconds,
            "s" => TimestampFormat.UnixSeconds,
            "iso" => TimestampFormat.Iso8601,
            _ => throw Error($"timestamp(\"{argument.Text}\"): the format must be \"ms\", \"s\" or \"iso\"", argument.Start),
        }
        : throw Error($"timestamp takes a quoted format (\"ms\", \"s\" or \"iso\"), not {Describe(argument)}", argument.Start);

    private string Environment(Token name, List<Token> arguments)
    {
        var unquoted = arguments.FindIndex(a => a.Kind != TokenKind.String);
        if (unquoted >= 0)
        {
            throw Error($"env takes quoted strings, not {Describe(arguments[unquoted])}", arguments[unquoted].Start);
        }
        var variable = arguments[0].Text;
        var value = environment is null
            ? System.Environment.GetEnvironmentVariable(variable)
            : environment.GetValueOrDefault(variable);
        return value ?? (arguments.Count == 2
            ? arguments[1].Text
            : throw Error(
                $"environment variable '{variable}' is not set: pass -e {variable}=..., add it to .env, "
                + $"or give a default with env(\"{variable}\", \"...\")",
                name.Start));
    }

    /// <summary>Adds a part that differs per render; literal text and env values before it stay one literal.</summary>
    private void AddDynamic(TemplatePart part)
    {
        FlushLiteral();
        _parts.Add(part);
    }

    private void FlushLiteral()
    {
        if (_literal.Length > 0)
        {
            _parts.Add(new LiteralPart(_literal.ToString()));
            _literal.Clear();
        }
    }

    private Token Next()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
        if (_position >= text.Length)
        {
            throw Error("'{{' is never closed by '}}'", _expressionStart);
        }
        var start = _position;
        var c = text[_position];
        if (c == '}' && _position + 1 < text.Length && text[_position + 1] == '}')
        {
            _position += 2;
            return new Token(TokenKind.Close, start, "}}");
        }
        if (c == '}')
        {
            throw Error("'{{' is never closed by '}}' (a single '}' does not close it)", _expressionStart);
        }
        if (c is '(' or ')' or ',')
        {
            _position++;
            var kind = c switch { '(' => TokenKind.OpenParen, ')' => TokenKind.CloseParen, _ => TokenKind.Comma };
            return new Token(kind, start, c.ToString());
        }
        if (char.IsAsciiLetter(c) || c == '_')
        {
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '.' or '-'))
            {
                _position++;
            }
            return new Token(TokenKind.Name, start, text[start.._position]);
        }
        if (char.IsAsciiDigit(c) || (c == '-' && _position + 1 < text.Length && char.IsAsciiDigit(text[_position + 1])))
        {
            _position++;
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                _position++;
            }
            var digits = text[start.._position];
            if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
            {
                throw Error($"the number {digits} is too large", start);
            }
            return new Token(TokenKind.Number, start, digits, number);
        }
        if (c is '"' or '\'')
        {
            return QuotedString(c);
        }
        var hint = c == '{' ? " (write {{{{ for a literal {{)" : "";
        throw Error($"unexpected '{c}' in an expression{hint}", start);
    }

    private Token QuotedString(char quote)
    {
        var start = _position++;
        var value = new StringBuilder();
        while (_position < text.Length && text[_position] != quote)
        {
            if (text[_position] == '\\' && _position + 1 < text.Length)
            {
                _position++;
            }
            value.Append(text[_position++]);
        }
        if (_position >= text.Length)
        {
            throw Error($"the string starting with {quote} is never closed", start);
        }
        _position++;
        return new Token(TokenKind.String, start, value.ToString());
    }

    private static string Describe(Token token) => token.Kind switch
    {
        TokenKind.Close => "'}}'",
        TokenKind.String => $"the string \"{token.Text}\"",
        _ => $"'{token.Text}'",
    };

    private TemplateSyntaxException Error(string reason, int offset)
    {
        var lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
        var line = 1 + text.AsSpan(0, lineStart).Count('\n');
        var column = offset - lineStart + 1;
        var position = line == 1 ? $"column {column}" : $"line {line}, column {column}";
        return new TemplateSyntaxException($"{reason} ({position} of template '{Excerpt()}')", line, column);
    }

    private string Excerpt()
    {
        const int MaxLength = 60;
        var firstLineEnd = text.IndexOf('\n', StringComparison.Ordinal);
        var shown = Math.Min(MaxLength, firstLineEnd < 0 ? text.Length : firstLineEnd);
        return shown == text.Length ? text : text[..shown].TrimEnd('\r') + "...";
    }

    private enum TokenKind
    {
        Name,
        Number,
        String,
        OpenParen,
        CloseParen,
        Comma,
        Close,
    }

    private readonly record struct Token(TokenKind Kind, int Start, string Text, long Number = 0);
}
