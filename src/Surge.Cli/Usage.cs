using System.CommandLine;

namespace Surge.Cli;

/// <summary>
/// One rule for every usage error: one line naming the problem, a hint to the command's --help, exit 2 (as getopt and
/// Python's argparse do; k6 uses none of 0-96). An unknown option is named as such, even where the parser took it for
/// the test file's name.
/// </summary>
public static class Usage
{
    /// <summary>What is wrong with the command line, or null when it can run.</summary>
    public static string? Problem(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var known = KnownOptions(parse.CommandResult);
        // An option's value may start with a dash (--body "--boundary"); only the command's own arguments are suspect.
        var optionValues = parse.CommandResult.Children.OfType<System.CommandLine.Parsing.OptionResult>().SelectMany(o => o.Tokens).ToHashSet();
        foreach (var token in parse.Tokens.Where(t => !optionValues.Contains(t)))
        {
            if (token.Type is System.CommandLine.Parsing.TokenType.DoubleDash)
            {
                break;
            }
            var text = token.Value;
            if (token.Type is System.CommandLine.Parsing.TokenType.Argument && text.Length > 1 && text[0] == '-' && !char.IsAsciiDigit(text[1])
                && !known.Contains(text.Split('=', ':')[0]))
            {
                return $"unknown option '{text}'";
            }
        }
        return parse.Errors.Count > 0 ? parse.Errors[0].Message : null;
    }

    /// <summary>Prints the problem and the hint; returns the exit code.</summary>
    public static int Report(ParseResult parse, string problem)
    {
        ArgumentNullException.ThrowIfNull(parse);
        Console.Error.WriteLine($"error: {problem}");
        Console.Error.WriteLine($"Run '{CommandPath(parse.CommandResult)} --help' for usage.");
        return ExitCodes.UsageError;
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult command)
    {
        var names = new List<string>();
        for (var result = command; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Add(result.Parent is null ? "surge" : result.Command.Name);
        }
        names.Reverse();
        return string.Join(' ', names);
    }

    // The options the parsed command accepts: its own and those its ancestors pass down (--help, --version).
    private static HashSet<string> KnownOptions(System.CommandLine.Parsing.CommandResult command)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var result = command; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            foreach (var option in result.Command.Options.Where(o => result == command || o.Recursive))
            {
                names.Add(option.Name);
                names.UnionWith(option.Aliases);
            }
        }
        return names;
    }
}
