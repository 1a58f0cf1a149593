using Surge.Plans;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>Reads `scenarios:`: each a name, a k6 executor with its options, shared scenario options and requests.</summary>
internal sealed class ScenarioReader(YamlSource source, ExecutorReader executors, RequestReader requests,
    IReadOnlyDictionary<string, DataSourcePlan> data)
{
    private static readonly string[] CommonKeys = ["executor", "startTime", "gracefulStop", "tags", "env", "data", "requests", "flows", "users"];
    private static readonly string[] WorkKeys = ["requests", "flows", "users"];

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
        var executor = source.OneOf(executorNode, "executor", ExecutorReader.Names);
        CheckKeys(map, name, executor);
        return new ScenarioPlan
        {
            Name = name,
            Executor = executors.Read(executor, map, nameNode),
            Steps = map.KeyNode("requests") is { } requestsKey ? requests.ReadAll(requestsKey, map.Optional("requests")!) : [],
            Personas = Personas(map, name, nameNode),
            StartTime = map.Optional("startTime") is { } start ? source.Duration(start, "startTime") : TimeSpan.Zero,
            GracefulStop = map.Optional("gracefulStop") is { } stop ? source.Duration(stop, "gracefulStop") : ScenarioPlan.DefaultGracefulStop,
            Tags = map.Optional("tags") is { } tags ? source.StringMap(tags, "tags") : new Dictionary<string, string>(),
            Env = map.Optional("env") is { } env ? source.StringMap(env, "env") : new Dictionary<string, string>(),
            Data = map.Optional("data") is { } dataNode ? DataSource(dataNode) : null,
            Location = source.At(nameNode),
        };
    }

    // Exactly one of requests: (one flow), flows: (weighted flows of one kind of user) or users: (weighted personas).
    private List<PersonaPlan> Personas(YamlMap map, string name, YamlScalarNode nameNode)
    {
        var given = WorkKeys.Select(map.KeyNode).Where(k => k is not null).ToList();
        if (given.Count == 0)
        {
            throw source.Error(nameNode, $"scenario '{name}' needs requests: (steps), flows: (weighted flows) or users: (weighted personas)");
        }
        if (given.Count > 1)
        {
            throw source.Error(given[1]!, $"a scenario takes one of requests:, flows: or users:, not {given[0]!.Value} and {given[1]!.Value} together");
        }
        if (map.KeyNode("flows") is { } flowsKey)
        {
            return [new PersonaPlan(name, Flows(flowsKey, map.Optional("flows")!)) { Location = source.At(flowsKey) }];
        }
        if (map.KeyNode("users") is { } usersKey)
        {
            return [.. source.Sequence(map.Optional("users")!, "users", "- { name: web, weight: 9, flows: [...] }").Select(Persona)];
        }
        return [];
    }

    private PersonaPlan Persona(YamlNode node)
    {
        var map = source.Map(node, "a user");
        map.AllowOnly(["name", "weight", "onStart", "flows"]);
        var name = source.Text(map.Required("name", "name the kind of user, e.g. name: web"), "name");
        var flowsKey = map.KeyNode("flows") ?? throw source.Error(node, $"user '{name}' needs flows: with at least one flow");
        return new PersonaPlan(name, Flows(flowsKey, map.Optional("flows")!))
        {
            Weight = map.Optional("weight") is { } weight ? source.Int(weight, "weight", 1) : 1,
            OnStart = map.KeyNode("onStart") is { } onStartKey ? requests.ReadAll(onStartKey, map.Optional("onStart")!) : [],
            Location = source.At(node),
        };
    }

    private List<FlowPlan> Flows(YamlScalarNode key, YamlNode node)
    {
        var items = source.Sequence(node, "flows", "- { name: browse, weight: 3, steps: [...] }");
        if (items.Count == 0)
        {
            throw source.Error(key, "flows is empty; add at least one flow with name, weight and steps");
        }
        return [.. items.Select(item =>
        {
            var map = source.Map(item, "a flow");
            map.AllowOnly(["name", "weight", "steps"]);
            var name = source.Text(map.Required("name", "name the flow, e.g. name: browse"), "name");
            var stepsKey = map.KeyNode("steps") ?? throw source.Error(item, $"flow '{name}' needs steps: with at least one step");
            return new FlowPlan(name, requests.ReadAll(stepsKey, map.Optional("steps")!))
            {
                Weight = map.Optional("weight") is { } weight ? source.Int(weight, "weight", 1) : 1,
                Location = source.At(item),
            };
        })];
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
