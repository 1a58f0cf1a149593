using System.CommandLine;
using Surge.Plans;

namespace Surge.Cli.Commands;

/// <summary>
/// `surge new [TYPE] [URL]`: writes a commented YAML test of that type (smoke, load, stress, spike, soak,
/// breakpoint), or a quick-start test without a type, aimed at URL. It never overwrites a file unless --force.
/// </summary>
public static class NewCommand
{
    private const string DefaultUrl = "http://127.0.0.1:5000/";

    public static Command Create()
    {
        var type = new Argument<string?>("type")
        {
            Description = "The kind of test: " + string.Join(", ", TestPresets.Types.Keys) + " (none: a quick-start test)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var url = new Argument<string?>("url") { Description = "The URL the test requests (default: " + DefaultUrl + ")", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string?>("--file", "-f") { Description = "Where to write the test (default: TYPE.yaml, or test.yaml for the quick start)" };
        var force = new Option<bool>("--force") { Description = "Overwrite the file if it exists" };
        var command = new Command("new", "Write a commented YAML test of a given type (smoke, load, stress, spike, soak, breakpoint) to start from")
        {
            type, url, file, force,
        };
        command.SetAction(parse =>
        {
            var (typeName, target) = Arguments(parse.GetValue(type), parse.GetValue(url));
            var template = typeName is null ? TestPresets.Start
                : TestPresets.Types.TryGetValue(typeName, out var preset) ? preset
                : throw new PlanException(Suggest.Unknown("test type", typeName, [.. TestPresets.Types.Keys], " for surge new"));
            var path = parse.GetValue(file) ?? (typeName ?? "test") + ".yaml";
            Write(path, Fill(template, target), parse.GetValue(force));
            Console.Out.WriteLine($"wrote {path} ({typeName ?? TestPresets.QuickStart} test of {target})");
            Console.Out.WriteLine($"  run it:        surge run {path}");
            Console.Out.WriteLine($"  a quick check: surge run {path} --vus 2 --duration 10s");
            return ExitCodes.Success;
        });
        return command;
    }

    // `surge new URL` is the quick start aimed at URL: a first argument that is a URL is not a type.
    private static (string? Type, Uri Target) Arguments(string? type, string? url)
    {
        if (url is null && type is not null && type.Contains("://", StringComparison.Ordinal))
        {
            (type, url) = (null, type);
        }
        var text = url ?? DefaultUrl;
        return HttpOptions.TryParseHttpUrl(text, out var target)
            ? (type?.ToLowerInvariant(), target)
            : throw new PlanException($"surge new: '{text}' is not an absolute http(s) URL; write e.g. https://test.example.com/api/items");
    }

    /// <summary>The template with its base URL (scheme, host, port) and request path taken from <paramref name="target"/>.</summary>
    public static string Fill(string template, Uri target) => template
        .Replace("BASE_URL", target.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal)
        .Replace("REQUEST_PATH", target.PathAndQuery.Replace("'", "''", StringComparison.Ordinal), StringComparison.Ordinal)
        + Environment.NewLine;

    private static void Write(string path, string text, bool force)
    {
        if (File.Exists(path) && !force)
        {
            throw new PlanException($"surge new: {path} already exists; choose another file with --file, or overwrite it with --force");
        }
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (directory is not null)
            {
                Directory.CreateDirectory(directory);
            }
            File.WriteAllText(path, text);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"surge new: cannot write {path}: {exception.Message}");
        }
    }
}
