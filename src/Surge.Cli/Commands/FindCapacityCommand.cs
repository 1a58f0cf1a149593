using System.CommandLine;
using System.Globalization;
using Surge.Capacity;
using Surge.Plans;
using Surge.Reporting.Capacity;
using Surge.Yaml;

namespace Surge.Cli.Commands;

/// <summary>
/// `surge find-capacity TEST.yaml [--scenario NAME]`: the breakpoint search. Exit 0 when a rate met every threshold,
/// 99 when none did (even the first step failed, or was inconclusive), 104 for a bad test or option, 105 when stopped.
/// </summary>
public static class FindCapacityCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("test") { Description = "A YAML test file with thresholds: they judge every step" };
        var scenario = new Option<string?>("--scenario") { Description = "The scenario whose arrival rate is raised (required when the test has several)" };
        var startRate = new Option<string?>("--start-rate") { Description = "Iterations per second of the first step (default 10)" };
        var factor = new Option<string?>("--factor") { Description = "Each step multiplies the rate by this until one fails (default 2)" };
        var precision = new Option<string?>("--precision") { Description = "Bisection stops when the first failing rate is within this share above the last passing one (default 0.05)" };
        var maxRate = new Option<string?>("--max-rate") { Description = "Never run a step above this rate (default 100000)" };
        var stepDuration = new Option<string?>("--step-duration") { Description = "Every step lasts this long, instead of the rule (long enough for the judged percentile)" };
        var minStep = new Option<string?>("--min-step-duration") { Description = "The shortest step the rule gives (default 10s)" };
        var maxStep = new Option<string?>("--max-step-duration") { Description = "The longest step the rule gives (default 2m)" };
        var tailSamples = new Option<string?>("--tail-samples") { Description = "Samples the judged percentile must have beyond it (default 100)" };
        var maxStartDelay = new Option<string?>("--max-start-delay") { Description = "A step whose iteration_start_delay p(99) exceeds this is inconclusive (generator late; default 10ms)" };
        var warmup = new Option<string?>("--warmup") { Description = "An unjudged run at the start rate before the first step (default 3s; 0s for none)" };
        var retries = new Option<string?>("--retries") { Description = "Run an inconclusive step again up to this many times before stopping there (default 1)" };
        var baseUrl = new Option<string?>("--base-url") { Description = "Resolve relative request URLs against this (overrides options.baseUrl)" };
        var env = new Option<string[]>("--env", "-e") { Description = "NAME=value for {{ env(\"NAME\") }}; repeatable, wins over --env-file and .env", AllowMultipleArgumentsPerToken = false };
        var envFile = new Option<string?>("--env-file") { Description = "Read NAME=value lines from this file (default: .env beside the test file, if any)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON on stdout (progress stays on stderr)" };
        var report = new Option<string?>("--report") { Description = "Write an HTML page with the steps and charts of p95 and error rate against rate" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress lines on stderr" };
        var command = new Command("find-capacity", "Find the highest arrival rate at which a scenario meets every threshold (breakpoint search)")
        {
            target, scenario, startRate, factor, precision, maxRate, stepDuration, minStep, maxStep, tailSamples, maxStartDelay, warmup, retries, baseUrl, env, envFile, json, report, quiet,
        };
        command.SetAction(async (parse, _) =>
        {
            var defaults = new CapacityOptions();
            var options = new CapacityOptions
            {
                StartRate = Number(parse.GetValue(startRate), "--start-rate", defaults.StartRate),
                Factor = Number(parse.GetValue(factor), "--factor", defaults.Factor),
                Precision = Number(parse.GetValue(precision), "--precision", defaults.Precision),
                MaxRate = Number(parse.GetValue(maxRate), "--max-rate", defaults.MaxRate),
                StepDuration = parse.GetValue(stepDuration) is { } fixedStep ? Duration(fixedStep, "--step-duration") : null,
                MinStepDuration = parse.GetValue(minStep) is { } min ? Duration(min, "--min-step-duration") : defaults.MinStepDuration,
                MaxStepDuration = parse.GetValue(maxStep) is { } max ? Duration(max, "--max-step-duration") : defaults.MaxStepDuration,
                MaxStartDelay = parse.GetValue(maxStartDelay) is { } delay ? Duration(delay, "--max-start-delay") : defaults.MaxStartDelay,
                Warmup = parse.GetValue(warmup) is { } warm ? Duration(warm, "--warmup") : defaults.Warmup,
                Retries = (int)Number(parse.GetValue(retries), "--retries", defaults.Retries),
                TailSamples = (int)Number(parse.GetValue(tailSamples), "--tail-samples", defaults.TailSamples),
            };
            if (options.Problems() is { Count: > 0 } problems)
            {
                throw new PlanException(string.Join("; ", problems));
            }
            var file = parse.GetValue(target)!;
            var plan = YamlPlanLoader.Load(file, new YamlLoadSettings(parse.GetValue(baseUrl)));
            plan = plan with { Env = RunCommand.Environment(plan.Env, file, parse.GetValue(envFile), parse.GetValue(env) ?? []) };
            var chosen = CapacityPlan.ChooseScenario(plan, parse.GetValue(scenario));
            return await SearchAsync(plan, chosen, options, parse.GetValue(json), parse.GetValue(report), parse.GetValue(quiet));
        });
        return command;
    }

    private static async Task<int> SearchAsync(TestPlan plan, ScenarioPlan scenario, CapacityOptions options, bool json, string? report, bool quiet)
    {
        using var signals = new StopSignals();
        var runner = new CapacityStepRunner(plan, scenario, options, new RunSettings { HardStop = signals.Hard, Log = Console.Error });
        if (options.Warmup > TimeSpan.Zero)
        {
            var warm = await runner.WarmUpAsync(signals.Graceful);
            if (!quiet)
            {
                Console.Error.WriteLine("warm-up (not judged): " + CapacityText.StepLine(warm));
            }
        }
        var number = 0;
        Task<CapacityStep> RunStep(double rate, CancellationToken stop)
        {
            if (!quiet)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"step {++number}: {CapacityText.Rate(rate)}/s for {Durations.Format(StepDurationRule.For(plan, rate, options).Duration)}"));
            }
            return runner.RunAsync(rate, stop);
        }
        var result = await CapacitySearch.RunAsync(scenario.Name, options, RunStep,
            quiet ? null : step => Console.Error.WriteLine("  " + CapacityText.StepLine(step)), signals.Graceful);
        if (json)
        {
            using var stdout = Console.OpenStandardOutput();
            CapacityJson.Write(result, stdout);
            stdout.Write("\n"u8);
        }
        else
        {
            Console.Out.Write(CapacityText.Render(result));
        }
        if (report is not null)
        {
            using var file = File.Create(report);
            CapacityHtml.Write(result, file);
            Console.Error.WriteLine($"report: {Path.GetFullPath(report)}");
        }
        return result.Interrupted ? ExitCodes.StoppedBySignal
            : result.Capacity is not null ? ExitCodes.Success
            : ExitCodes.ThresholdsFailed;
    }

    private static double Number(string? text, string option, double fallback) =>
        text is null ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value
        : throw new PlanException($"{option} '{text}' is not a number");

    private static TimeSpan Duration(string text, string option) =>
        Durations.TryParse(text, out var value) ? value
        : throw new PlanException($"{option} '{text}' is not a duration; write e.g. 10s, 1m30s");
}
