using Surge.Plans;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>
/// Reads k6's executor options into <see cref="ExecutorPlan"/> records, which own k6's defaults and rules: this
/// reader parses each value and points the plan's complaint at the option's node.
/// </summary>
internal sealed class ExecutorReader(YamlSource source)
{
    // k6's shortcut for ramping-vus takes its startVUs from top-level vus, and shared-iterations its maxDuration from duration.
    private static readonly Dictionary<string, string> ShortcutNames = new(StringComparer.Ordinal) { ["startVUs"] = "vus", ["maxDuration"] = "duration" };

    /// <summary>Each executor and the options only it takes, in k6's order.</summary>
    public static readonly IReadOnlyList<KeyValuePair<string, string[]>> OptionsByExecutor =
    [
        new("constant-vus", ["vus", "duration"]),
        new("ramping-vus", ["startVUs", "stages", "gracefulRampDown"]),
        new("constant-arrival-rate", ["rate", "timeUnit", "duration", "preAllocatedVUs", "maxVUs", "whenAllVUsBusy", "maxQueued"]),
        new("ramping-arrival-rate", ["startRate", "timeUnit", "stages", "preAllocatedVUs", "maxVUs", "whenAllVUsBusy", "maxQueued"]),
        new("shared-iterations", ["vus", "iterations", "maxDuration"]),
        new("per-vu-iterations", ["vus", "iterations", "maxDuration"]),
        new("externally-controlled", ["vus", "maxVUs", "duration"]),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. OptionsByExecutor.Select(e => e.Key)];

    public static IReadOnlyList<string> OptionsOf(string executor) =>
        OptionsByExecutor.First(e => e.Key == executor).Value;

    /// <summary>The executors that take <paramref name="option"/>, for "belongs to another executor" messages.</summary>
    public static IReadOnlyList<string> ExecutorsTaking(string option) =>
        [.. OptionsByExecutor.Where(e => e.Value.Contains(option)).Select(e => e.Key)];

    public ExecutorPlan Read(string executor, YamlMap map, YamlNode blame) => Checked(Parse(executor, map), map, blame);

    private ExecutorPlan Parse(string executor, YamlMap map) => executor switch
    {
        "constant-vus" => new ConstantVusExecutor(
            OptionalInt(map, "vus", fallback: 1),
            source.Duration(map.Required("duration", "constant-vus needs it, e.g. duration: 30s"), "duration")),
        "ramping-vus" => RampingVus(
            map.Optional("startVUs"),
            "startVUs",
            map.Required("stages", "ramping-vus needs them, e.g. stages: [{ duration: 30s, target: 10 }]"),
            OptionalDuration(map, "gracefulRampDown", ExecutorPlan.DefaultGracefulRampDown)),
        "constant-arrival-rate" => ConstantArrivalRate(map),
        "ramping-arrival-rate" => RampingArrivalRate(map),
        "shared-iterations" => SharedIterations(
            map.Optional("vus"), map.Optional("iterations"), OptionalDuration(map, "maxDuration", ExecutorPlan.DefaultMaxDuration)),
        "externally-controlled" => ExternallyControlled(map),
        _ => new PerVuIterationsExecutor(
            OptionalInt(map, "vus", fallback: 1),
            map.Optional("iterations") is { } iterations ? source.WholeNumber(iterations, "iterations", long.MinValue) : 1,
            OptionalDuration(map, "maxDuration", ExecutorPlan.DefaultMaxDuration)),
    };

    /// <summary>
    /// k6's top-level shortcuts for a one-scenario test: stages make ramping-vus, iterations shared-iterations
    /// (duration then caps it), duration alone constant-vus, and nothing at all one shared iteration.
    /// </summary>
    public ExecutorPlan Shortcut(YamlMap root) => Checked(ParseShortcut(root), root, root.Node, ShortcutNames);

    private ExecutorPlan ParseShortcut(YamlMap root)
    {
        var vus = root.Optional("vus");
        var duration = root.Optional("duration");
        var iterations = root.Optional("iterations");
        if (root.Optional("stages") is { } stages)
        {
            foreach (var other in (string[])["duration", "iterations"])
            {
                if (root.KeyNode(other) is { } key)
                {
                    throw source.Error(key, $"top-level '{other}' and 'stages' cannot be used together; keep one, or write scenarios");
                }
            }
            return RampingVus(vus, "vus", stages, ExecutorPlan.DefaultGracefulRampDown);
        }
        if (iterations is not null)
        {
            var maxDuration = duration is null ? ExecutorPlan.DefaultMaxDuration : source.Duration(duration, "duration");
            return SharedIterations(vus, iterations, maxDuration);
        }
        return duration is not null
            ? new ConstantVusExecutor(vus is null ? 1 : source.Int(vus, "vus", int.MinValue), source.Duration(duration, "duration"))
            : SharedIterations(vus, null, ExecutorPlan.DefaultMaxDuration);
    }

    /// <summary>The executor when it meets its rules; otherwise its complaint at the option's node, or at <paramref name="blame"/>.</summary>
    private ExecutorPlan Checked(ExecutorPlan executor, YamlMap map, YamlNode blame, IReadOnlyDictionary<string, string>? names = null)
    {
        if (executor.Problem() is not { } problem)
        {
            return executor;
        }
        var key = names?.GetValueOrDefault(problem.Option) ?? problem.Option;
        // A complaint about the whole list of stages points at the stages: key, one about a value at the value.
        var node = key == "stages" ? map.KeyNode(key) : map.Optional(key);
        throw source.Error(node ?? blame, problem.Message);
    }

    private RampingVusExecutor RampingVus(
        YamlNode? startVusNode, string startVusName, YamlNode stagesNode, TimeSpan gracefulRampDown) =>
        new(startVusNode is null ? 1 : source.Int(startVusNode, startVusName, int.MinValue), Stages(stagesNode, wholeTargets: true), gracefulRampDown);

    private ConstantArrivalRateExecutor ConstantArrivalRate(YamlMap map)
    {
        var rate = source.Number(map.Required("rate", "constant-arrival-rate needs it, e.g. rate: 50"), "rate", positive: true);
        var timeUnit = OptionalDuration(map, "timeUnit", ExecutorPlan.DefaultTimeUnit);
        var duration = source.Duration(map.Required("duration", "constant-arrival-rate needs it, e.g. duration: 1m"), "duration");
        var (preAllocated, max) = ArrivalVus(map, "constant-arrival-rate");
        return WhenAllBusy(map, new ConstantArrivalRateExecutor(rate, timeUnit, duration, preAllocated, max));
    }

    private RampingArrivalRateExecutor RampingArrivalRate(YamlMap map)
    {
        var startRate = map.Optional("startRate") is { } node ? source.Number(node, "startRate", positive: false) : 0;
        var timeUnit = OptionalDuration(map, "timeUnit", ExecutorPlan.DefaultTimeUnit);
        var stages = Stages(
            map.Required("stages", "ramping-arrival-rate needs them, e.g. stages: [{ duration: 1m, target: 100 }]"), wholeTargets: false);
        var (preAllocated, max) = ArrivalVus(map, "ramping-arrival-rate");
        return WhenAllBusy(map, new RampingArrivalRateExecutor(startRate, timeUnit, stages, preAllocated, max));
    }

    // Surge's own options: `whenAllVUsBusy: queue` serves late what k6 would drop, `maxQueued` bounds the wait line.
    private T WhenAllBusy<T>(YamlMap map, T plan) where T : ArrivalRateExecutor
    {
        var queue = map.Optional("whenAllVUsBusy") is { } node && source.OneOf(node, "whenAllVUsBusy", ["drop", "queue"]) == "queue";
        var maxQueuedNode = map.Optional("maxQueued");
        if (maxQueuedNode is not null && !queue)
        {
            throw source.Error(maxQueuedNode, "maxQueued bounds the arrivals waiting for a VU, so it needs whenAllVUsBusy: queue");
        }
        return (T)(plan with
        {
            WhenAllVusBusy = queue ? WhenAllVusBusy.Queue : WhenAllVusBusy.Drop,
            MaxQueued = maxQueuedNode is null ? ArrivalRateExecutor.DefaultMaxQueued : source.Int(maxQueuedNode, "maxQueued", 1),
        });
    }

    // k6: vus to begin with (0 is allowed: wait for the first change), maxVUs defaults to vus, duration 0 or none
    // runs until the run is stopped.
    private ExternallyControlledExecutor ExternallyControlled(YamlMap map)
    {
        var vus = OptionalInt(map, "vus", fallback: 1);
        return new ExternallyControlledExecutor(vus, OptionalInt(map, "maxVUs", fallback: vus), OptionalDuration(map, "duration", TimeSpan.Zero));
    }

    private (int PreAllocated, int Max) ArrivalVus(YamlMap map, string executor)
    {
        var preAllocated = source.Int(map.Required("preAllocatedVUs", $"{executor} needs it, e.g. preAllocatedVUs: 10"), "preAllocatedVUs", int.MinValue);
        return (preAllocated, OptionalInt(map, "maxVUs", fallback: preAllocated));
    }

    private SharedIterationsExecutor SharedIterations(YamlNode? vusNode, YamlNode? iterationsNode, TimeSpan maxDuration) => new(
        vusNode is null ? 1 : source.Int(vusNode, "vus", int.MinValue),
        iterationsNode is null ? 1 : source.WholeNumber(iterationsNode, "iterations", long.MinValue),
        maxDuration);

    // Each stage's values are checked at their own nodes; rules about the list as a whole are the plan's.
    private List<Stage> Stages(YamlNode node, bool wholeTargets)
    {
        var stages = new List<Stage>();
        foreach (var item in source.Sequence(node, "stages", "[{ duration: 30s, target: 10 }]"))
        {
            var stage = source.Map(item, "a stage");
            stage.AllowOnly(["duration", "target"]);
            var duration = source.Duration(stage.Required("duration", "write e.g. { duration: 30s, target: 10 }"), "stage duration");
            var targetNode = stage.Required("target", "write e.g. { duration: 30s, target: 10 }");
            var target = wholeTargets
                ? source.WholeNumber(targetNode, "stage target", 0, int.MaxValue)
                : source.Number(targetNode, "stage target", positive: false);
            stages.Add(new Stage(duration, target));
        }
        return stages;
    }

    private int OptionalInt(YamlMap map, string key, int fallback) =>
        map.Optional(key) is { } node ? source.Int(node, key, int.MinValue) : fallback;

    private TimeSpan OptionalDuration(YamlMap map, string key, TimeSpan fallback) =>
        map.Optional(key) is { } node ? source.Duration(node, key) : fallback;
}
