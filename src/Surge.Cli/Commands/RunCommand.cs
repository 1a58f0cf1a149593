using System.CommandLine;
using Surge.Plans;
using Surge.Yaml;

namespace Surge.Cli.Commands;

/// <summary>`surge run FILE.yaml` or `surge run URL`, with k6's --vus/--duration/--iterations overrides.</summary>
public static class RunCommand
{
    public static Command Create() => Create("run", "Run a load test from a YAML file, or against one URL", inspect: false);

    /// <summary>
    /// `surge inspect`: run's options and run's plan loading (profile, overrides, env), then the plan as JSON instead
    /// of load, so that what inspect shows is what run would run.
    /// </summary>
    public static Command CreateInspect() =>
        Create("inspect", "Print the plan a test resolves to as JSON (profile, overrides and env applied, as run would run it)", inspect: true);

    public const string HttpDebugOption = "--http-debug";

    /// <summary>
    /// As k6's flag: a bare --http-debug means headers and takes no value after a space, so the word after it stays
    /// the test file; a value is given as --http-debug=full.
    /// </summary>
    public static string[] BareHttpDebug(string[] args) => [.. args.Select(a => a == HttpDebugOption ? HttpDebugOption + "=headers" : a)];

    private static Command Create(string name, string description, bool inspect)
    {
        var target = new Argument<string>("target") { Description = "A YAML test file, a C# test file (.cs, with a public static Plan() method), or a URL to hit directly (quick mode)" };
        var vus = new Option<int?>("--vus", "-u") { Description = "Number of VUs; replaces every scenario's executor (k6 semantics)" };
        var duration = new Option<string?>("--duration", "-d") { Description = "Test duration, e.g. 30s, 1m30s; replaces every scenario's executor" };
        var iterations = new Option<long?>("--iterations", "-i") { Description = "Total iterations shared by the VUs (shared-iterations)" };
        var baseUrl = new Option<string?>("--base-url") { Description = "Resolve relative request URLs against this (overrides options.baseUrl)" };
        var method = new Option<string>("--method", "-m") { Description = "HTTP method in quick mode", DefaultValueFactory = _ => "GET" };
        var header = new Option<string[]>("--header", "-H") { Description = "A request header in quick mode, 'Name: value'; repeatable", AllowMultipleArgumentsPerToken = false };
        var body = new Option<string?>("--body") { Description = "The request body in quick mode" };
        var bodyFile = new Option<string?>("--body-file") { Description = "Read the request body in quick mode from this file" };
        var contentType = new Option<string?>("--content-type", "-T") { Description = "The Content-Type header in quick mode" };
        var stage = new Option<string[]>("--stage", "-s") { Description = "DURATION:TARGET, e.g. 30s:10; repeatable; every scenario becomes ramping-vus over these stages (k6 semantics)", AllowMultipleArgumentsPerToken = false };
        var trendStats = new Option<string?>("--summary-trend-stats") { Description = "The trend statistics of the summary, e.g. avg,med,p(95),p(99.9) (overrides options.summaryTrendStats)" };
        var env = new Option<string[]>("--env", "-e") { Description = "NAME=value for {{ env(\"NAME\") }}; repeatable, wins over the process environment, which wins over --env-file and .env", AllowMultipleArgumentsPerToken = false };
        var profile = new Option<string?>("--profile") { Description = $"Run every scenario with the test's named profile (profiles: local, staging, stress, ...); default: ${ProfileVariable}" };
        var noThresholds = new Option<bool>("--no-thresholds") { Description = "Run without judging thresholds (they stay checked for mistakes); exit 0 unless something else fails" };
        var envFile = new Option<string?>("--env-file") { Description = "Read NAME=value lines from this file (default: .env beside the test file, if any)" };
        var httpDebug = new Option<string?>(HttpDebugOption)
        {
            Description = "Print every request and response to stderr (headers; bodies too with --http-debug=full, cut at 64 KB), as k6",
        };
        httpDebug.AcceptOnlyFromAmong("headers", "full");
        var output = new OutputOptionSet();
        var distributed = new DistributedOptionSet();
        var command = new Command(name, description)
        {
            target, vus, duration, iterations, stage, baseUrl, method, header, body, bodyFile, contentType, env, envFile, profile, noThresholds, trendStats,
        };
        distributed.AddTo(command, inspect);
        if (!inspect)
        {
            command.Add(httpDebug);
            output.AddTo(command);
        }
        command.SetAction(async (parse, cancellation) =>
        {
            var text = parse.GetValue(target)!;
            RefuseForeignScript(text);
            if (!QuickPlan.IsUrl(text))
            {
                RefuseQuickModeFlags(parse, method, header, body, bodyFile, contentType);
            }
            using var script = text.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) ? await ScriptCompilation.CompileAsync(text, cancellation) : null;
            var plan = script is not null ? await script.CreatePlanAsync(cancellation)
                : QuickPlan.IsUrl(text) ? QuickPlan.For(text, QuickRequest(parse, method, header, body, bodyFile, contentType))
                : YamlPlanLoader.Load(text, new YamlLoadSettings(parse.GetValue(baseUrl)));
            if (script is not null && parse.GetValue(baseUrl) is { } scriptBase)
            {
                plan = plan with { Http = plan.Http with { BaseAddress = BaseAddress(scriptBase) } };
            }
            var durationText = parse.GetValue(duration);
            TimeSpan? parsedDuration = durationText is null ? null
                : Durations.HasNoUnit(durationText) ? throw new PlanException(Durations.NoUnit("--duration", durationText))
                : Durations.TryParse(durationText, out var d) ? d
                : throw new PlanException($"--duration '{durationText}' is not a duration; write e.g. 30s, 1m30s or 500ms");
            var profileFromEnvironment = parse.GetValue(profile) is null ? ProfileFromEnvironment(text) : null;
            if ((parse.GetValue(profile) ?? profileFromEnvironment) is { } profileName)
            {
                try
                {
                    plan = PlanOverrides.UseProfile(plan, profileName);
                }
                catch (PlanException exception) when (profileFromEnvironment is not null)
                {
                    throw new PlanException($"{ProfileVariable}={profileFromEnvironment} (from the environment): {exception.Message}");
                }
            }
            var stages = parse.GetValue(stage) ?? [];
            plan = stages.Length > 0
                ? CommandLineOverrides.Stages(plan, stages, parse.GetValue(vus), parsedDuration is not null || parse.GetValue(iterations) is not null)
                : PlanOverrides.Apply(plan, parse.GetValue(vus), parsedDuration, parse.GetValue(iterations));
            plan = CommandLineOverrides.TrendStats(plan, parse.GetValue(trendStats));
            plan = plan with { Env = Environment(plan.Env, text, parse.GetValue(envFile), parse.GetValue(env) ?? []) };
            if (parse.GetValue(noThresholds))
            {
                plan = plan with { Thresholds = [] };
            }
            // Taken before a segment scales the executors: what every instance of a distributed run shares.
            var identity = inspect ? null : PlanIdentities.Of(plan);
            PlanEnvironment.CheckResolved(plan);
            plan = distributed.Apply(parse, plan);
            var start = inspect ? null : distributed.ReadStart(parse);
            if (inspect)
            {
                PlanJson.Write(plan, Console.Out);
                return ExitCodes.Success;
            }
            return await RunExecution.RunAsync(plan, output.Read(parse) with { HttpDebug = parse.GetValue(httpDebug), PlanIdentity = identity }, start);
        });
        return command;
    }

    // hey's flags; outside quick mode they would be silently ignored, so they are refused.
    private static QuickRequest QuickRequest(ParseResult parse, Option<string> method, Option<string[]> header, Option<string?> body,
        Option<string?> bodyFile, Option<string?> contentType)
    {
        var text = parse.GetValue(body);
        if (parse.GetValue(bodyFile) is { } file)
        {
            if (text is not null)
            {
                throw new UsageException("--body and --body-file both give the body; use one");
            }
            text = File.Exists(file) ? File.ReadAllText(file) : throw new PlanException($"--body-file '{file}' does not exist");
        }
        return new QuickRequest(parse.GetValue(method)!, parse.GetValue(header) ?? [], text, parse.GetValue(contentType));
    }

    private static void RefuseQuickModeFlags(ParseResult parse, params Option[] options)
    {
        if (options.FirstOrDefault(o => parse.GetResult(o) is { Implicit: false }) is { } option)
        {
            throw new UsageException($"{option.Name} is for quick mode (surge run URL); in a test file, set it on the request");
        }
    }

    // k6 and Locust users try their own scripts first: say plainly what Surge runs and where the translation is.
    private static void RefuseForeignScript(string target)
    {
        var tool = Path.GetExtension(target).ToLowerInvariant() switch
        {
            ".js" or ".mjs" or ".cjs" or ".ts" => "a k6 JavaScript test",
            ".py" => "a Locust Python test",
            _ => null,
        };
        if (tool is not null && !QuickPlan.IsUrl(target))
        {
            throw new PlanException($"{target} looks like {tool}; Surge runs YAML (.yaml) and C# (.cs) tests. "
                + "The README's \"Coming from k6, Locust or Artillery\" table shows how each concept translates");
        }
    }

    private static Uri BaseAddress(string url) =>
        HttpOptions.TryParseHttpUrl(url.EndsWith('/') ? url : url + "/", out var uri)
            ? uri
            : throw new PlanException($"--base-url '{url}' is not an absolute http(s) URL");

    /// <summary>The process environment variable that chooses a profile when --profile does not.</summary>
    public const string ProfileVariable = "SURGE_PROFILE";

    // A test file's profile from SURGE_PROFILE (quick mode has no profiles to choose from).
    private static string? ProfileFromEnvironment(string target) =>
        QuickPlan.IsUrl(target) ? null : System.Environment.GetEnvironmentVariable(ProfileVariable) is { Length: > 0 } name ? name : null;

    // As every dotenv tool does: -e first, then the process environment, then the .env beside the test (or
    // --env-file). The engine reads the process environment itself, under this run environment, so a file's value
    // is left out where the process has the name.
    internal static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> planEnv, string target, string? envFile, string[] assignments)
    {
        var besideTest = QuickPlan.IsUrl(target) ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target)) ?? ".", ".env");
        var file = envFile ?? (besideTest is not null && File.Exists(besideTest) ? besideTest : null);
        if (envFile is not null && !File.Exists(envFile))
        {
            throw new PlanException($"--env-file '{envFile}' does not exist");
        }
        // A value the test's code sets (PlanBuilder.Env) is a default, as os.environ.get(name, default) would be: the
        // process environment replaces it, and .env replaces it for names the process does not set.
        var values = planEnv.ToDictionary(e => e.Key, e => System.Environment.GetEnvironmentVariable(e.Key) ?? e.Value, StringComparer.Ordinal);
        if (file is not null)
        {
            foreach (var (name, value) in DotEnv.Read(file))
            {
                if (System.Environment.GetEnvironmentVariable(name) is null)
                {
                    values[name] = value;
                }
            }
        }
        foreach (var assignment in assignments)
        {
            var (name, value) = DotEnv.Assignment(assignment)
                ?? throw new PlanException($"-e '{assignment}' is not an assignment; write -e NAME=value");
            values[name] = value;
        }
        return values;
    }
}
