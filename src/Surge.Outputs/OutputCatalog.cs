using Surge.Plans;
using Surge.Reporting;
using Surge.Results;

namespace Surge.Outputs;

/// <summary>
/// The outputs `-o NAME[=ARG]` can name, as k6 spells them, each with what its argument is. Creating one checks its
/// argument and its K6_* variables, so a bad one is an invalid test (exit 104) before any load.
/// </summary>
internal static class OutputCatalog
{
    private static readonly Entry[] Entries =
    [
        new("json", "FILE", Required: true, (name, arg, _) => OpenFile(name, arg!, NdjsonOutput.Create)),
        new("prometheus-rw", "URL", Required: false, (name, arg, env) => new PrometheusRemoteWriteOutput(name, PrometheusRemoteWriteOptions.From(name, arg, env))),
        new("experimental-prometheus-rw", "URL", Required: false, (name, arg, env) => new PrometheusRemoteWriteOutput(name, PrometheusRemoteWriteOptions.From(name, arg, env))),
        new("influxdb", "URL", Required: false, (name, arg, env) => new InfluxDbOutput(name, InfluxDbOptions.From(name, arg, env))),
        new("prometheus", "HOST:PORT", Required: false, (name, arg, env) => PrometheusEndpointOutput.Start(name, PrometheusEndpointOptions.From(name, arg, env))),
        new("opentelemetry", null, Required: false, (name, _, env) => new OpenTelemetryOutput(name, OpenTelemetryOptions.From(name, env))),
        new("experimental-opentelemetry", null, Required: false, (name, _, env) => new OpenTelemetryOutput(name, OpenTelemetryOptions.From(name, env))),
        new("hdrlog", "FILE", Required: true, (name, arg, _) => OpenFile(name, arg!, path => HdrLogOutput.Create(name, path))),
    ];

    /// <summary>How each output is written, for messages and help: json=FILE, prometheus-rw[=URL], ...</summary>
    public static IReadOnlyList<string> Usage { get; } = [.. Entries.Select(e => e.Argument is null ? e.Name : e.Required ? $"{e.Name}={e.Argument}" : $"{e.Name}[={e.Argument}]")];

    /// <summary>Checks `NAME[=ARG]` without opening anything: the name is known and the argument there if required.</summary>
    public static (string Name, string? Argument) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? text : text[..equals];
        var argument = equals < 0 ? null : text[(equals + 1)..];
        var entry = Entries.FirstOrDefault(e => e.Name == name)
            ?? throw new PlanException($"-o '{text}': unknown output '{name}'; Surge writes {string.Join(", ", Usage)}");
        if (entry.Argument is null && argument is not null)
        {
            throw new PlanException($"-o '{text}': {name} takes no argument; it reads OTEL_EXPORTER_OTLP_ENDPOINT and the other OTEL_EXPORTER_OTLP_* variables");
        }
        if (argument is "")
        {
            throw new PlanException($"-o '{text}': nothing after '='; write {Usage[Array.IndexOf(Entries, entry)]}");
        }
        if (entry.Required && argument is null)
        {
            throw new PlanException($"-o '{text}': say where to write, e.g. -o {name}={(name == "hdrlog" ? "latency.hlog" : "results.ndjson")}");
        }
        return (name, argument);
    }

    /// <summary>Creates the output, reading its K6_* settings from <paramref name="environment"/>.</summary>
    public static IRunOutput Create(string text, IReadOnlyDictionary<string, string> environment)
    {
        var (name, argument) = Parse(text);
        return Entries.First(e => e.Name == name).Create(name, argument, environment);
    }

    private static IRunOutput OpenFile(string name, string path, Func<string, IRunOutput> open)
    {
        try
        {
            return open(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new PlanException($"-o {name}={path}: cannot write there: {exception.Message}");
        }
    }

    private sealed record Entry(string Name, string? Argument, bool Required, Func<string, string?, IReadOnlyDictionary<string, string>, IRunOutput> Create);
}
