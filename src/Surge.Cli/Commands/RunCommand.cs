using System.CommandLine;
using Surge.Plans;
using Surge.Yaml;

namespace Surge.Cli.Commands;

/// <summary>`surge run FILE.yaml` or `surge run URL`, with k6's --vus/--duration/--iterations overrides.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("target") { Description = "A YAML test file, a C# test file (.cs, with a public static Plan() method), or a URL to hit directly (quick mode)" };
        var vus = new Option<int?>("--vus", "-u") { Description = "Number of VUs; replaces every scenario's executor (k6 semantics)" };
        var duration = new Option<string?>("--duration", "-d") { Description = "Test duration, e.g. 30s, 1m30s; replaces every scenario's executor" };
        var iterations = new Option<long?>("--iterations", "-i") { Description = "Total iterations shared by the VUs (shared-iterations)" };
        var baseUrl = new Option<string?>("--base-url") { Description = "Resolve relative request URLs against this (overrides options.baseUrl)" };
        var method = new Option<string>("--method", "-m") { Description = "HTTP method in quick mode", DefaultValueFactory = _ => "GET" };
        var env = new Option<string[]>("--env", "-e") { Description = "NAME=value for {{ env(\"NAME\") }}; repeatable, wins over --env-file and .env", AllowMultipleArgumentsPerToken = false };
        var profile = new Option<string?>("--profile") { Description = "Run every scenario with the test's named profile (profiles: local, staging, stress, ...)" };
        var envFile = new Option<string?>("--env-file") { Description = "Read NAME=value lines from this file (default: .env beside the test file, if any)" };
        var output = new OutputOptionSet();
        var command = new Command("run", "Run a load test from a YAML file, or against one URL")
        {
            target, vus, duration, iterations, baseUrl, method, env, envFile, profile,
        };
        output.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            var text = parse.GetValue(target)!;
            using var script = text.EndsWith(".cs", StringComparison.OrdinalIgnoreCase) ? await ScriptCompilation.CompileAsync(text, cancellation) : null;
            var plan = script is not null ? await script.CreatePlanAsync(cancellation)
                : QuickPlan.IsUrl(text) ? QuickPlan.For(text, parse.GetValue(method)!)
                : YamlPlanLoader.Load(text, new YamlLoadSettings(parse.GetValue(baseUrl)));
            if (script is not null && parse.GetValue(baseUrl) is { } scriptBase)
            {
                plan = plan with { Http = plan.Http with { BaseAddress = BaseAddress(scriptBase) } };
            }
            var durationText = parse.GetValue(duration);
            TimeSpan? parsedDuration = durationText is null ? null
                : Durations.TryParse(durationText, out var d) ? d
                : throw new PlanException($"--duration '{durationText}' is not a duration; write e.g. 30s, 1m30s or 500ms");
            if (parse.GetValue(profile) is { } profileName)
            {
                plan = PlanOverrides.UseProfile(plan, profileName);
            }
            plan = PlanOverrides.Apply(plan, parse.GetValue(vus), parsedDuration, parse.GetValue(iterations));
            plan = plan with { Env = Environment(plan.Env, text, parse.GetValue(envFile), parse.GetValue(env) ?? []) };
            return await RunExecution.RunAsync(plan, output.Read(parse));
        });
        return command;
    }

    private static Uri BaseAddress(string url) =>
        HttpOptions.TryParseHttpUrl(url.EndsWith('/') ? url : url + "/", out var uri)
            ? uri
            : throw new PlanException($"--base-url '{url}' is not an absolute http(s) URL");

    // The plan's own env, then the .env beside the test (or --env-file), then each -e on top.
    internal static Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> planEnv, string target, string? envFile, string[] assignments)
    {
        var besideTest = QuickPlan.IsUrl(target) ? null : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(target)) ?? ".", ".env");
        var file = envFile ?? (besideTest is not null && File.Exists(besideTest) ? besideTest : null);
        if (envFile is not null && !File.Exists(envFile))
        {
            throw new PlanException($"--env-file '{envFile}' does not exist");
        }
        var values = new Dictionary<string, string>(planEnv, StringComparer.Ordinal);
        if (file is not null)
        {
            foreach (var (name, value) in DotEnv.Read(file))
            {
                values[name] = value;
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
