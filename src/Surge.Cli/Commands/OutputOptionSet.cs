using System.CommandLine;
using Surge.Cli.Dashboard;
using Surge.Outputs;
using Surge.Plans;

namespace Surge.Cli.Commands;

/// <summary>
/// The output flags every load-running command accepts. From a saved result (<c>live: false</c>) there is no run to
/// stream or watch: --out and --dashboard are hidden and refused rather than silently ignored.
/// </summary>
public sealed class OutputOptionSet(bool live = true)
{
    private readonly Option<string?> _summaryExport = new("--summary-export") { Description = "Write k6's summary-export JSON to this file" };
    private readonly Option<string?> _result = new("--result") { Description = "Write the full, mergeable result (histograms included) to this JSON file" };
    private readonly Option<string[]> _out = new("--out", "-o") { Description = $"Stream metrics while the test runs, as k6 does: {string.Join(", ", OutputCatalog.Usage)}; repeatable; settings from k6's K6_* variables", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> _tag = new("--tag") { Description = "NAME=VALUE added to everything the run records (e.g. testid=checkout-42, to tell runs apart in Prometheus/InfluxDB); repeatable", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string?> _csv = new("--csv") { Description = "Write Locust's CSV files: PREFIX_stats.csv, PREFIX_stats_history.csv, PREFIX_failures.csv" };
    private readonly Option<string?> _junit = new("--junit") { Description = "Write thresholds, checks and verify stages as JUnit XML to this file" };
    private readonly Option<string?> _report = new("--report") { Description = "Write a self-contained HTML report (charts, endpoints, findings) to this file" };
    private readonly Option<string?> _findings = new("--findings") { Description = "Write the findings (worst endpoints, thresholds near breaking, saturation, next steps) to this Markdown file" };
    private readonly Option<string?> _dashboard = new("--dashboard")
    {
        Description = $"Show the run live in the browser at HOST:PORT (default 127.0.0.1:{DashboardAddress.DefaultPort}): charts, status, thresholds, a stop button and VU controls; writes the HTML report at the end",
        Arity = ArgumentArity.ZeroOrOne,
        // An option cannot hand a token back to the command, so `--dashboard test.yaml` says how to write it instead
        // of reading the test file as an address.
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return null;
            }
            var text = result.Tokens[0].Value;
            if (!DashboardAddress.LooksLikeAddress(text))
            {
                result.AddError($"--dashboard takes HOST:PORT, not '{text}'; write --dashboard=127.0.0.1:{DashboardAddress.DefaultPort}, or put --dashboard after the test");
            }
            return text;
        },
    };
    private readonly Option<string[]> _dashboardHost = new("--dashboard-host")
    {
        Description = "A host name the dashboard answers to besides this machine's own names and addresses (e.g. a reverse proxy's); repeatable",
        AllowMultipleArgumentsPerToken = false,
    };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "No live progress" };
    private readonly Option<bool> _noColor = new("--no-color") { Description = "No ANSI colors in the summary" };

    public void AddTo(Command command)
    {
        foreach (var option in LiveOnly)
        {
            option.Hidden = !live;
        }
        command.Options.Add(_summaryExport);
        command.Options.Add(_result);
        command.Options.Add(_out);
        command.Options.Add(_tag);
        command.Options.Add(_csv);
        command.Options.Add(_junit);
        command.Options.Add(_report);
        command.Options.Add(_findings);
        command.Options.Add(_dashboard);
        command.Options.Add(_dashboardHost);
        command.Options.Add(_quiet);
        command.Options.Add(_noColor);
    }

    public OutputOptions Read(ParseResult parse)
    {
        if (!live)
        {
            foreach (var option in LiveOnly.Where(o => parse.GetResult(o) is { Implicit: false }))
            {
                throw new UsageException($"{option.Name} needs a running test; from a saved result write files with --summary-export, --result, --csv, --junit, --report or --findings");
            }
        }
        return new(parse.GetValue(_summaryExport), parse.GetValue(_result), parse.GetValue(_quiet), parse.GetValue(_noColor))
        {
            LiveOutputs = [.. (parse.GetValue(_out) ?? []).Select(LiveOutput.Parse)],
            Tags = [.. (parse.GetValue(_tag) ?? []).Select(ParseTag)],
            CsvPrefix = parse.GetValue(_csv),
            JUnitFile = parse.GetValue(_junit),
            Report = parse.GetValue(_report),
            Findings = parse.GetValue(_findings),
            Dashboard = Dashboard(parse),
        };
    }

    private IEnumerable<Option> LiveOnly => [_out, _dashboard, _dashboardHost];

    private DashboardAddress? Dashboard(ParseResult parse)
    {
        var hosts = parse.GetValue(_dashboardHost) ?? [];
        if (parse.GetResult(_dashboard) is not { Implicit: false })
        {
            return hosts.Length == 0 ? null : throw new UsageException("--dashboard-host allows a name for the dashboard; add --dashboard too");
        }
        return DashboardAddress.Parse(parse.GetValue(_dashboard)) with { AllowedHosts = [.. hosts.Select(DashboardAddress.HostName)] };
    }

    private static KeyValuePair<string, string> ParseTag(string text)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? new(text[..equals].Trim(), text[(equals + 1)..])
            : throw new PlanException($"--tag '{text}' is not NAME=VALUE; write e.g. --tag testid=checkout-42");
    }
}

/// <summary>One `-o NAME[=ARG]`, as k6 writes it, checked against <see cref="OutputCatalog"/> (exit 104 when unknown).</summary>
public sealed record LiveOutput(string Kind, string? Target)
{
    public static LiveOutput Parse(string text)
    {
        var (name, argument) = OutputCatalog.Parse(text);
        return new LiveOutput(name, argument);
    }

    public override string ToString() => Target is null ? Kind : $"{Kind}={Target}";
}
