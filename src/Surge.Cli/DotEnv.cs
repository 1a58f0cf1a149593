using Surge.Plans;

namespace Surge.Cli;

/// <summary>
/// Reads `KEY=VALUE` environment files (`.env`): blank lines and `#` comments skipped, `export ` allowed, values
/// optionally in single or double quotes. A line that is not an assignment is an error at its file:line.
/// </summary>
public static class DotEnv
{
    public static Dictionary<string, string> Read(string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }
            var (name, value) = Assignment(line) ?? throw new PlanException(
                $"'{lines[i].Trim()}' is not an assignment; write NAME=value", new SourceLocation(path, i + 1, 1));
            values[name] = value;
        }
        return values;
    }

    /// <summary>One `NAME=value` (from a file line or `-e`), or null when it is not one.</summary>
    public static (string Name, string Value)? Assignment(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var name = equals > 0 ? text[..equals].Trim() : "";
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            return null;
        }
        var value = text[(equals + 1)..].Trim();
        if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0])
        {
            value = value[1..^1];
        }
        return (name, value);
    }
}
