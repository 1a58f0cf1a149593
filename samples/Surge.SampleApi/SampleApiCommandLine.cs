using System.Globalization;
using Surge.SampleApi.Stores;

namespace Surge.SampleApi;

/// <summary>Parses <c>--store json-file|safe --port N [--host H] [--data DIR]</c> for Program.cs.</summary>
internal static class SampleApiCommandLine
{
    public const int DefaultPort = 5000;

    public const string Usage = """
        Usage: Surge.SampleApi [--store json-file|safe] [--port N] [--host 127.0.0.1] [--data DIR]
          --store  json-file: naive data.json store that loses records under concurrent writes
                   safe:      locked store with atomic writes (default)
          --port   TCP port, 0 for any free port (default 5000)
          --host   loopback address to bind: 127.0.0.1, ::1 or localhost (default 127.0.0.1)
          --data   directory for data.json (default: a temporary directory deleted on exit)
        """;

    /// <summary>Options, or a help request, or an error message naming the bad argument.</summary>
    public sealed record Result(SampleApiOptions? Options, bool ShowHelp, string? Error);

    public static Result Parse(IReadOnlyList<string> args)
    {
        var options = new SampleApiOptions { Port = DefaultPort };
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return new Result(null, ShowHelp: true, null);
            }

            if (name is not ("--store" or "--port" or "--host" or "--data"))
            {
                return Fail($"unknown argument '{name}'");
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                return Fail($"{name} needs a value");
            }

            var value = args[++i];
            switch (name)
            {
                case "--store" when StoreKindNames.TryParse(value, out var store):
                    options = options with { Store = store.Value };
                    break;
                case "--store":
                    return Fail($"--store must be '{StoreKindNames.JsonFile}' or '{StoreKindNames.Safe}', not '{value}'");
                case "--port" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535:
                    options = options with { Port = port };
                    break;
                case "--port":
                    return Fail($"--port must be a number from 0 to 65535, not '{value}'");
                case "--host":
                    options = options with { Host = value };
                    break;
                default:
                    options = options with { DataDirectory = value };
                    break;
            }
        }

        return new Result(options, ShowHelp: false, null);
    }

    private static Result Fail(string error) => new(null, ShowHelp: false, error);
}
