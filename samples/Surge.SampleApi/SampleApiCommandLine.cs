using System.Globalization;
using Surge.SampleApi.Stores;

namespace Surge.SampleApi;

/// <summary>Parses the sample API's command line (see <see cref="Usage"/>) for Program.cs.</summary>
internal static class SampleApiCommandLine
{
    public const int DefaultPort = 5000;
    public const int DefaultH2cPort = 5001;
    public const int DefaultTlsPort = 5002;

    private const int MaxServiceMs = 60_000;
    private const int MaxSlots = 100_000;

    public const string Usage = """
        Usage: Surge.SampleApi [--store json-file|sqlite] [--port N] [--h2c-port N] [--tls-port N] [--host 127.0.0.1]
                               [--data DIR] [--capacity-concurrency N] [--capacity-service-ms MS] [--capacity-queue N]
          --store                 json-file: naive data.json store that loses records under concurrent writes
                                  sqlite:    SQLite database in WAL mode, a committed transaction per write (default)
          --port                  TCP port for HTTP/1.1, 0 for any free port (default 5000)
          --h2c-port              TCP port for HTTP/2 without TLS (prior knowledge), where gRPC is served (default 5001)
          --tls-port              TCP port for TLS, HTTP/1.1 and HTTP/2 by ALPN, gRPC too, with a self-signed
                                  certificate made at start (default 5002)
          --host                  loopback address to bind: 127.0.0.1, ::1 or localhost (default 127.0.0.1)
          --data                  directory for the store's files (default: a temporary directory deleted on exit)
          --capacity-concurrency  GET /capacity serves this many requests at once (default 4)
          --capacity-service-ms   each for this long, in milliseconds (default 20), so its capacity is
                                  concurrency / service time: 4 / 20 ms = 200 requests/s by default
          --capacity-queue        this many more wait in line for a free slot; beyond them, 503 at once (default 50)
        """;

    /// <summary>Options, or a help request, or an error message naming the bad argument.</summary>
    public sealed record Result(SampleApiOptions? Options, bool ShowHelp, string? Error);

    public static Result Parse(IReadOnlyList<string> args)
    {
        var options = new SampleApiOptions { Port = DefaultPort, H2cPort = DefaultH2cPort, TlsPort = DefaultTlsPort };
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name is "-h" or "--help")
            {
                return new Result(null, ShowHelp: true, null);
            }

            if (name is not ("--store" or "--port" or "--h2c-port" or "--tls-port" or "--host" or "--data" or "--capacity-concurrency" or "--capacity-service-ms" or "--capacity-queue"))
            {
                return Fail($"unknown argument '{name}'");
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                return Fail($"{name} needs a value");
            }

            var value = args[++i];
            var capacity = options.Capacity;
            switch (name)
            {
                case "--store" when StoreKindNames.TryParse(value, out var store):
                    options = options with { Store = store.Value };
                    break;
                case "--store":
                    return Fail($"--store must be '{StoreKindNames.JsonFile}' or '{StoreKindNames.Sqlite}', not '{value}'");
                case "--port" when TryReadInt(value, 0, 65535, out var port):
                    options = options with { Port = port };
                    break;
                case "--h2c-port" when TryReadInt(value, 0, 65535, out var port):
                    options = options with { H2cPort = port };
                    break;
                case "--tls-port" when TryReadInt(value, 0, 65535, out var port):
                    options = options with { TlsPort = port };
                    break;
                case "--port" or "--h2c-port" or "--tls-port":
                    return Fail($"{name} must be a number from 0 to 65535, not '{value}'");
                case "--host":
                    options = options with { Host = value };
                    break;
                case "--data":
                    options = options with { DataDirectory = value };
                    break;
                case "--capacity-concurrency" when TryReadInt(value, 1, MaxSlots, out var concurrency):
                    options = options with { Capacity = capacity with { Concurrency = concurrency } };
                    break;
                case "--capacity-queue" when TryReadInt(value, 0, MaxSlots, out var queue):
                    options = options with { Capacity = capacity with { Queue = queue } };
                    break;
                case "--capacity-service-ms" when double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var ms)
                                                  && ms is > 0 and <= MaxServiceMs:
                    options = options with { Capacity = capacity with { ServiceTime = TimeSpan.FromMilliseconds(ms) } };
                    break;
                case "--capacity-service-ms":
                    return Fail($"--capacity-service-ms must be a number of milliseconds above 0 and up to {MaxServiceMs}, not '{value}'");
                default:
                    var least = name == "--capacity-queue" ? 0 : 1;
                    return Fail($"{name} must be a whole number from {least} to {MaxSlots}, not '{value}'");
            }
        }

        return new Result(options, ShowHelp: false, null);
    }

    private static bool TryReadInt(string text, int min, int max, out int value) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value >= min && value <= max;

    private static Result Fail(string error) => new(null, ShowHelp: false, error);
}
