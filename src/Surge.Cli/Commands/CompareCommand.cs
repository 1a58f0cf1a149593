using System.CommandLine;
using System.Globalization;
using System.Text;
using Surge.Plans;
using Surge.Reporting.Compare;

namespace Surge.Cli.Commands;

/// <summary>
/// `surge compare BASE.json NEW.json`: per-endpoint changes in throughput, p50/p95/p99 and error rate between two
/// saved results. Exits 99 when something regressed beyond tolerance, the code CI scripts already read as
/// "the performance criteria failed"; 104 when a file cannot be read.
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var baseFile = new Argument<string>("base") { Description = "The result file to compare against (surge run --result)" };
        var newFile = new Argument<string>("new") { Description = "The result file of the run under test" };
        var tolerance = new Option<string[]>("--tolerance", "-t")
        {
            Description = "Allowed relative change of throughput and latency, e.g. 10% (default); STAT=VALUE for one of rps, p50, p95, p99 (off: never judged); repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var errorTolerance = new Option<string>("--error-tolerance") { Description = "Allowed rise of the error rate, absolute: 0.01 or 1% (default)", DefaultValueFactory = _ => "0.01" };
        var minRequests = new Option<long>("--min-requests") { Description = "Throughput and latency of endpoints with fewer requests in either run are shown, not judged", DefaultValueFactory = _ => 30 };
        var latencyFloor = new Option<string>("--latency-floor") { Description = "Latency changes smaller than this are never judged, e.g. 1ms (default), 500us", DefaultValueFactory = _ => "1ms" };
        var format = new Option<string>("--format") { Description = "What to print: text, markdown (a table for PR comments) or json", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "markdown", "json");
        var json = new Option<string?>("--json") { Description = "Also write the comparison as JSON to this file" };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the comparison as a Markdown table to this file" };
        var command = new Command("compare", "Compare two saved results endpoint by endpoint; exit 99 on a regression beyond tolerance")
        {
            baseFile, newFile, tolerance, errorTolerance, minRequests, latencyFloor, format, json, markdown,
        };
        command.SetAction(parse =>
        {
            var tolerances = Tolerances(
                parse.GetValue(tolerance) ?? [], parse.GetValue(errorTolerance)!, parse.GetValue(minRequests), parse.GetValue(latencyFloor)!);
            var basePath = parse.GetValue(baseFile)!;
            var newPath = parse.GetValue(newFile)!;
            RunComparison? comparison = null;
            var files = new List<OutputFile>();
            if (parse.GetValue(json) is { } jsonPath)
            {
                files.Add(new OutputFile("--json", jsonPath, stream => ComparisonJson.Write(comparison!, stream)));
            }
            if (parse.GetValue(markdown) is { } markdownPath)
            {
                files.Add(OutputFile.Text("--markdown", markdownPath, writer => writer.Write(ComparisonMarkdown.Render(comparison!))));
            }
            OutputFiles.Check(files);
            comparison = RunComparison.Of(SavedResult.Read(basePath), SavedResult.Read(newPath), tolerances, basePath, newPath);

            switch (parse.GetValue(format))
            {
                case "json":
                    using (var stdout = Console.OpenStandardOutput())
                    {
                        ComparisonJson.Write(comparison, stdout);
                    }
                    Console.Out.WriteLine();
                    break;
                case "markdown":
                    Console.Out.Write(ComparisonMarkdown.Render(comparison));
                    break;
                default:
                    Console.Out.Write(ComparisonText.Render(comparison));
                    break;
            }
            var failures = OutputFiles.Write(files);
            foreach (var failure in failures)
            {
                Console.Error.WriteLine($"error: {failure}");
            }
            return comparison.Regressed ? ExitCodes.ThresholdsFailed
                : failures.Count > 0 ? ExitCodes.OutputsIncomplete
                : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The tolerances the options ask for: a bare --tolerance sets throughput and every percentile, STAT=VALUE then
    /// overrides one of them whatever the order on the command line.
    /// </summary>
    public static CompareTolerances Tolerances(IEnumerable<string> tolerances, string errorTolerance, long minRequests, string latencyFloor)
    {
        var result = new CompareTolerances
        {
            ErrorRate = Share(errorTolerance, "--error-tolerance"),
            MinRequests = minRequests >= 0 ? minRequests : throw new PlanException($"--min-requests {minRequests.ToString(CultureInfo.InvariantCulture)} cannot be negative"),
            LatencyFloorMs = Durations.TryParse(latencyFloor, out var floor) ? floor.TotalMilliseconds
                : throw new PlanException($"--latency-floor '{latencyFloor}' is not a duration; write e.g. 1ms or 500us"),
        };
        var overrides = new List<(ComparedStat Stat, double Value)>();
        foreach (var text in tolerances)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                result = result.WithRelative(Share(text, "--tolerance"));
                continue;
            }
            var name = text[..equals].Trim();
            var stat = ComparedStats.Parse(name)
                ?? throw new PlanException($"--tolerance '{text}': unknown statistic '{name}'; use one of {string.Join(", ", ComparedStats.All.Select(ComparedStats.Name))}");
            overrides.Add((stat, Share(text[(equals + 1)..], "--tolerance")));
        }
        foreach (var (stat, value) in overrides)
        {
            result = result.With(stat, value);
        }
        return result;
    }

    /// <summary>
    /// "10%" or a fraction "0.1"; a bare number above 1 is refused, since "10" almost surely meant 10%. "off" shows
    /// the stat without ever judging it.
    /// </summary>
    private static double Share(string text, string option)
    {
        var trimmed = text.Trim();
        if (trimmed == "off")
        {
            return double.PositiveInfinity;
        }
        var percent = trimmed.EndsWith('%');
        var number = percent ? trimmed[..^1] : trimmed;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value) || value < 0)
        {
            throw new PlanException($"{option} '{text}' is not a tolerance; write e.g. 10% or 0.1");
        }
        if (!percent && value > 1)
        {
            throw new PlanException($"{option} '{text}' is ambiguous; write {number}% for a percentage or a fraction up to 1");
        }
        return percent ? value / 100 : value;
    }
}
