using System.Collections;
using System.Text.RegularExpressions;
using Surge.Grpc;

namespace Surge.Plans;

/// <summary>
/// The <c>{{ env("NAME") }}</c> references of a plan, checked all at once before any load: a run that would stop at
/// the first missing name, or send to a half-built URL, names every missing one instead.
/// </summary>
public static partial class PlanEnvironment
{
    /// <summary>
    /// Throws a plan error listing every <c>env("NAME")</c> without a default that neither the process environment,
    /// the plan's <see cref="TestPlan.Env"/> (-e, .env) nor its scenario's env sets, each with where it is used.
    /// Call it once the run's environment is merged into the plan.
    /// </summary>
    public static void CheckResolved(TestPlan plan, IReadOnlyDictionary<string, string>? processEnvironment = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var process = processEnvironment ?? ProcessEnvironment();
        var missing = new List<(string Name, SourceLocation? At)>();
        void Scan(IEnumerable<Step> steps, IReadOnlyDictionary<string, string> scenarioEnv)
        {
            foreach (var (text, at) in steps.SelectMany(Texts))
            {
                foreach (var name in Names(text))
                {
                    if (!process.ContainsKey(name) && !plan.Env.ContainsKey(name) && !scenarioEnv.ContainsKey(name) && !missing.Exists(m => m.Name == name))
                    {
                        missing.Add((name, at));
                    }
                }
            }
        }
        var none = new Dictionary<string, string>();
        Scan(plan.Setup, none);
        foreach (var scenario in plan.Scenarios)
        {
            Scan(scenario.Steps.Concat(scenario.Personas.SelectMany(p => p.OnStart.Concat(p.Flows.SelectMany(f => f.Steps)))), scenario.Env);
        }
        Scan(plan.Teardown, none);
        Scan(plan.Verify.Select(v => v.Request), none);
        if (missing.Count > 0)
        {
            var list = string.Join(", ", missing.Select(m => m.At is null ? m.Name : $"{m.Name} (at {m.At})"));
            throw new PlanException(
                $"environment variable{(missing.Count == 1 ? "" : "s")} not set: {list}; pass -e NAME=..., add them to .env, or give a default with env(\"NAME\", \"...\")",
                missing[0].At);
        }
    }

    /// <summary>The names read by <c>env("NAME")</c> without a default in <paramref name="text"/>.</summary>
    public static IEnumerable<string> Names(string text) =>
        EnvCall().Matches(text).Where(m => m.Groups["end"].Value == ")").Select(m => Unescape(m.Groups["name"].Value));

    private static IEnumerable<(string Text, SourceLocation? At)> Texts(Step step) => step switch
    {
        RequestStep request => [(request.Url, request.Location), .. request.Headers.Select(h => (h.Value, request.Location)),
            .. request.Cookies.Select(c => (c.Value, request.Location)), (request.Body ?? "", request.Location)],
        GrpcStep grpc => [.. grpc.Metadata.Select(m => (m.Value, grpc.Location)), .. Strings(grpc.Message).Select(s => (s.Text, s.Location ?? grpc.Location))],
        GroupStep group => group.Steps.SelectMany(Texts),
        LoopStep loop => loop.Steps.SelectMany(Texts),
        LogStep log => [(log.Message, log.Location)],
        WebSocketStep ws => [(ws.Url, ws.Location), .. ws.Headers.Select(h => (h.Value, ws.Location)),
            .. ws.Actions.OfType<WebSocketSend>().Select(send => (send.Text ?? "", send.Location))],
        _ => [],
    };

    private static IEnumerable<ProtoJsonNode> Strings(ProtoJsonNode node) =>
        node.IsTemplate ? [node] : node.Properties.Select(p => p.Value).Concat(node.Items).SelectMany(Strings);

    private static Dictionary<string, string> ProcessEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        }
        return environment;
    }

    private static string Unescape(string quoted) => Regex.Replace(quoted, @"\\(.)", "$1");

    // The template parser's env("NAME") or env('NAME', "default"), with backslash escapes inside the quotes.
    [GeneratedRegex("""\{\{\s*env\s*\(\s*(?:"(?<name>(?:[^"\\]|\\.)*)"|'(?<name>(?:[^'\\]|\\.)*)')\s*(?<end>[),])""", RegexOptions.CultureInvariant)]
    private static partial Regex EnvCall();
}
