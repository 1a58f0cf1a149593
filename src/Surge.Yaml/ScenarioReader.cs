using Surge.Plans;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>Reads `scenarios:`: each a name, a k6 executor with its options, shared scenario options and requests.</summary>
internal sealed class ScenarioReader(YamlSource source, ExecutorReader executors, RequestReader requests,
    IReadOnlyDictionary<string, DataSourcePlan> data)
{
    private static readonly string[] CommonKeys = ["executor", "startTime", "gracefulStop", "tags", "env", "data", "requests"];

    public IReadOnlyList<ScenarioPlan> ReadAll(YamlScalarNode key, YamlNode node)
    {
        var map = source.Map(node, "scenarios");
        if (map.Entries.Count == 0)
        {
            throw source.Error(key, "scenarios is empty; define at least one, e.g. browse: { executor: constant-vus, vus: 10, duration: 30s, requests: [...] }");
        }
        return [.. map.Entries.Select(e => Read(e.Key, e.Value))];
    }

    private ScenarioPlan Read(YamlScalarNode nameNode, YamlNode node)
    {
        var name = nameNode.Value ?? "";
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
        {
            throw source.Error(nameNode, $"scenario name '{name}' may only use letters, digits, '_' and '-'");
        }
        var map = source.Map(node, $"scenario '{name}'", nameNode);
        var executorNode = map.Required("executor", $"add executor: with one of {string.Join(", ", ExecutorReader.Names)}");
        var executor = source.Text(executorNode, "executor");
        if (!ExecutorReader.Names.Contains(executor))
        {
            throw source.Error(executorNode, Suggest.Unknown("executor", executor, ExecutorReader.Names));
        }
        CheckKeys(map, name, executor);
        return new ScenarioPlan
        {
            Name = name,
            Executor = executors.Read(executor, map),
            Steps = requests.ReadAll(
                map.KeyNode("requests") ?? nameNode,
                map.Required("requests", "add requests: with at least one request, e.g. - { method: GET, url: /items }")),
            StartTime = map.Optional("startTime") is { } start ? source.Duration(start, "startTime", positive: false) : TimeSpan.Zero,
            GracefulStop = map.Optional("gracefulStop") is { } stop ? source.Duration(stop, "gracefulStop", positive: false) : TimeSpan.FromSeconds(30),
            Tags = map.Optional("tags") is { } tags ? source.StringMap(tags, "tags") : new Dictionary<string, string>(),
            Env = map.Optional("env") is { } env ? source.StringMap(env, "env") : new Dictionary<string, string>(),
            Data = map.Optional("data") is { } dataNode ? DataSource(dataNode) : null,
            Location = source.At(nameNode),
        };
    }

    private DataSourcePlan DataSource(YamlNode node)
    {
        var name = source.Text(node, "data");
        if (data.TryGetValue(name, out var plan))
        {
            return plan;
        }
        throw source.Error(node, data.Count == 0
            ? $"data source '{name}' is not defined; add it under top-level data:, e.g. data: {{ {name}: {{ file: {name}.csv }} }}"
            : Suggest.Unknown("data source", name, [.. data.Keys]));
    }

    /// <summary>Rejects unknown keys, and says so plainly when a key is an option of a different executor.</summary>
    private void CheckKeys(YamlMap map, string name, string executor)
    {
        var own = ExecutorReader.OptionsOf(executor);
        string[] allowed = [.. CommonKeys, .. own];
        foreach (var (key, _) in map.Entries)
        {
            var option = key.Value ?? "";
            if (allowed.Contains(option))
            {
                continue;
            }
            var owners = ExecutorReader.ExecutorsTaking(option);
            throw source.Error(key, owners.Count == 0
                ? Suggest.Unknown("key", option, allowed, $" in scenario '{name}'")
                : $"'{option}' is not an option of {executor} (it belongs to {string.Join(" and ", owners)}); {executor} takes {string.Join(", ", own)}");
        }
    }
}
