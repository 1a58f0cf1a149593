using Surge.Plans;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>Reads k6's executor options, with k6's names and defaults, into <see cref="ExecutorPlan"/> records.</summary>
internal sealed class ExecutorReader(YamlSource source)
{
    private static readonly TimeSpan DefaultMaxDuration = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan DefaultGracefulRampDown = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultTimeUnit = TimeSpan.FromSeconds(1);

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

    public ExecutorPlan Read(string executor, YamlMap map) => executor switch
    {
        "constant-vus" => new ConstantVusExecutor(
            OptionalInt(map, "vus", min: 1, fallback: 1),
            source.Duration(map.Required("duration", "constant-vus needs it, e.g. duration: 30s"), "duration", positive: true)),
        "ramping-vus" => RampingVus(
            map.Optional("startVUs"),
            "startVUs",
            map.Required("stages", "ramping-vus needs them, e.g. stages: [{ duration: 30s, target: 10 }]"),
            map.KeyNode("stages")!,
            OptionalDuration(map, "gracefulRampDown", positive: false, DefaultGracefulRampDown)),
        "constant-arrival-rate" => ConstantArrivalRate(map),
        "ramping-arrival-rate" => RampingArrivalRate(map),
        "shared-iterations" => SharedIterations(
            map.Optional("vus"), map.Optional("iterations"), OptionalDuration(map, "maxDuration", positive: true, DefaultMaxDuration)),
        "externally-controlled" => ExternallyControlled(map),
        _ => new PerVuIterationsExecutor(
            OptionalInt(map, "vus", min: 1, fallback: 1),
            map.Optional("iterations") is { } iterations ? source.WholeNumber(iterations, "iterations", 1) : 1,
            OptionalDuration(map, "maxDuration", positive: true, DefaultMaxDuration)),
    };

    /// <summary>
    /// k6's top-level shortcuts for a one-scenario test: stages make ramping-vus, iterations shared-iterations
    /// (duration then caps it), duration alone constant-vus, and nothing at all one shared iteration.
    /// </summary>
    public ExecutorPlan Shortcut(YamlMap root)
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
            return RampingVus(vus, "vus", stages, root.KeyNode("stages")!, DefaultGracefulRampDown);
        }
        if (iterations is not null)
        {
            var maxDuration = duration is null ? DefaultMaxDuration : source.Duration(duration, "duration", positive: true);
            return SharedIterations(vus, iterations, maxDuration);
        }
        return duration is not null
            ? new ConstantVusExecutor(vus is null ? 1 : source.Int(vus, "vus", 1), source.Duration(duration, "duration", positive: true))
            : SharedIterations(vus, null, DefaultMaxDuration);
    }

    private RampingVusExecutor RampingVus(
        YamlNode? startVusNode, string startVusName, YamlNode stagesNode, YamlNode stagesKey, TimeSpan gracefulRampDown)
    {
        var startVus = startVusNode is null ? 1 : source.Int(startVusNode, startVusName, 0);
        var stages = Stages(stagesNode, stagesKey, wholeTargets: true);
        if (startVus == 0 && stages.All(s => s.Target == 0))
        {
            throw source.Error(stagesKey, $"no VU would ever run: {startVusName} and every stage target are 0");
        }
        return new RampingVusExecutor(startVus, stages, gracefulRampDown);
    }

    private ConstantArrivalRateExecutor ConstantArrivalRate(YamlMap map)
    {
        var rate = source.Number(map.Required("rate", "constant-arrival-rate needs it, e.g. rate: 50"), "rate", positive: true);
        var timeUnit = OptionalDuration(map, "timeUnit", positive: true, DefaultTimeUnit);
        var duration = source.Duration(map.Required("duration", "constant-arrival-rate needs it, e.g. duration: 1m"), "duration", positive: true);
        var (preAllocated, max) = ArrivalVus(map, "constant-arrival-rate");
        return WhenAllBusy(map, new ConstantArrivalRateExecutor(rate, timeUnit, duration, preAllocated, max));
    }

    private RampingArrivalRateExecutor RampingArrivalRate(YamlMap map)
    {
        var startRate = map.Optional("startRate") is { } node ? source.Number(node, "startRate", positive: false) : 0;
        var timeUnit = OptionalDuration(map, "timeUnit", positive: true, DefaultTimeUnit);
        var stagesKey = map.KeyNode("stages");
        var stages = Stages(
            map.Required("stages", "ramping-arrival-rate needs them, e.g. stages: [{ duration: 1m, target: 100 }]"),
            stagesKey!, wholeTargets: false);
        if (startRate == 0 && stages.All(s => s.Target == 0))
        {
            throw source.Error(stagesKey!, "no iteration would ever start: startRate and every stage target are 0");
        }
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
        var vus = OptionalInt(map, "vus", min: 0, fallback: 1);
        var maxNode = map.Optional("maxVUs");
        var max = maxNode is null ? vus : source.Int(maxNode, "maxVUs", 0);
        if (max < vus)
        {
            throw source.Error(maxNode!, $"maxVUs ({max}) must be at least vus ({vus})");
        }
        if (max == 0)
        {
            throw source.Error(maxNode ?? map.KeyNode("vus")!, "no VU could ever run: set maxVUs to 1 or more");
        }
        return new ExternallyControlledExecutor(vus, max, OptionalDuration(map, "duration", positive: false, TimeSpan.Zero));
    }

    private (int PreAllocated, int Max) ArrivalVus(YamlMap map, string executor)
    {
        var preNode = map.Required("preAllocatedVUs", $"{executor} needs it, e.g. preAllocatedVUs: 10");
        var preAllocated = source.Int(preNode, "preAllocatedVUs", 0);
        var maxNode = map.Optional("maxVUs");
        var max = maxNode is null ? preAllocated : source.Int(maxNode, "maxVUs", 0);
        if (max < preAllocated)
        {
            throw source.Error(maxNode!, $"maxVUs ({max}) must be at least preAllocatedVUs ({preAllocated})");
        }
        if (max == 0)
        {
            throw source.Error(maxNode ?? preNode, "no VU could ever run: set preAllocatedVUs or maxVUs to 1 or more");
        }
        return (preAllocated, max);
    }

    private SharedIterationsExecutor SharedIterations(YamlNode? vusNode, YamlNode? iterationsNode, TimeSpan maxDuration)
    {
        var vus = vusNode is null ? 1 : source.Int(vusNode, "vus", 1);
        var iterations = iterationsNode is null ? 1 : source.WholeNumber(iterationsNode, "iterations", 1);
        if (iterations < vus)
        {
            // vus is above its default of 1 here, so vusNode is set whenever iterationsNode is not.
            throw source.Error(iterationsNode ?? vusNode!,
                $"iterations ({iterations}) can't be less than vus ({vus}) in shared-iterations: every VU needs at least one iteration");
        }
        return new SharedIterationsExecutor(vus, iterations, maxDuration);
    }

    private List<Stage> Stages(YamlNode node, YamlNode key, bool wholeTargets)
    {
        var items = source.Sequence(node, "stages", "[{ duration: 30s, target: 10 }]");
        if (items.Count == 0)
        {
            throw source.Error(key, "stages must list at least one stage, e.g. - { duration: 30s, target: 10 }");
        }
        var stages = new List<Stage>(items.Count);
        foreach (var item in items)
        {
            var stage = source.Map(item, "a stage");
            stage.AllowOnly(["duration", "target"]);
            var duration = source.Duration(stage.Required("duration", "write e.g. { duration: 30s, target: 10 }"), "stage duration", positive: false);
            var targetNode = stage.Required("target", "write e.g. { duration: 30s, target: 10 }");
            var target = wholeTargets
                ? source.WholeNumber(targetNode, "stage target", 0, int.MaxValue)
                : source.Number(targetNode, "stage target", positive: false);
            stages.Add(new Stage(duration, target));
        }
        if (stages.All(s => s.Duration == TimeSpan.Zero))
        {
            throw source.Error(key, "stages last 0s in total; give at least one stage a duration");
        }
        return stages;
    }

    private int OptionalInt(YamlMap map, string key, int min, int fallback) =>
        map.Optional(key) is { } node ? source.Int(node, key, min) : fallback;

    private TimeSpan OptionalDuration(YamlMap map, string key, bool positive, TimeSpan fallback) =>
        map.Optional(key) is { } node ? source.Duration(node, key, positive) : fallback;
}
