using System.Globalization;
using Surge.Metrics;
using Surge.Plans;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>Reads the whole document: options, thresholds, and scenarios or k6's one-scenario shortcuts.</summary>
internal sealed class PlanReader(YamlSource source, YamlLoadSettings settings)
{
    private static readonly string[] TopLevelKeys = ["options", "profiles", "metrics", "thresholds", "data", "setup", "teardown", "verify", "scenarios", "vus", "duration", "iterations", "stages", "requests"];
    private static readonly string[] ShortcutKeys = ["vus", "duration", "iterations", "stages", "requests"];
    private static readonly string[] OptionKeys = ["baseUrl", "summaryTrendStats", "tags", "maxSeriesPerMetric", "insecureSkipTLSVerify", "connections", "maxRedirects", "cookieJar", "noCookiesReset", "grpc"];
    private static readonly string[] ConnectionModes = ["per-vu", "shared"];
    private const string DefaultScenarioName = "default";

    public TestPlan Read(YamlStream stream)
    {
        if (stream.Documents.Count > 1)
        {
            throw source.Error(stream.Documents[1].RootNode, "a test file holds one YAML document; remove the second '---' and what follows it");
        }
        if (stream.Documents.Count == 0 || YamlSource.IsNull(stream.Documents[0].RootNode))
        {
            throw new PlanException("the test file is empty; it needs scenarios: (or top-level requests: for a single scenario)",
                new SourceLocation(source.FileName, 1, 1));
        }
        var root = source.Map(stream.Documents[0].RootNode, "the test file");
        root.AllowOnly(TopLevelKeys);
        var options = source.Map(root.Optional("options") ?? new YamlMappingNode(), "options");
        options.AllowOnly(OptionKeys);
        var metrics = root.Optional("metrics") is { } metricsNode ? CustomMetrics(metricsNode) : [];
        var requests = new RequestReader(source, BaseUrl(options), metrics);
        if (options.Optional("grpc") is { } grpcOptions)
        {
            requests.GrpcOptions(grpcOptions);
        }
        var thresholds = root.Optional("thresholds") is { } thresholdsNode ? new ThresholdReader(source, metrics).ReadAll(thresholdsNode) : [];
        var executors = new ExecutorReader(source);
        var data = root.Optional("data") is { } dataNode ? new DataReader(source).ReadAll(dataNode) : new Dictionary<string, DataSourcePlan>();
        var scenarios = root.KeyNode("scenarios") is { } scenariosKey
            ? ScenariosWithoutShortcuts(root, scenariosKey, new ScenarioReader(source, executors, requests, data))
            : [ShortcutScenario(root, executors, requests)];
        var plan = new TestPlan
        {
            Scenarios = scenarios,
            Thresholds = thresholds,
            SummaryTrendStats = options.Optional("summaryTrendStats") is { } stats ? TrendStats(stats, options.KeyNode("summaryTrendStats")!) : TestPlan.DefaultSummaryTrendStats,
            Tags = options.Optional("tags") is { } tags ? source.StringMap(tags, "tags") : new Dictionary<string, string>(),
            Http = Http(options),
            Metrics = metrics,
            Profiles = root.Optional("profiles") is { } profiles ? Profiles(profiles, executors) : new Dictionary<string, ExecutorPlan>(),
            Verify = root.Optional("verify") is { } verify ? requests.ReadVerify(verify) : [],
            Setup = root.KeyNode("setup") is { } setupKey ? requests.ReadAll(setupKey, root.Optional("setup")!) : [],
            Teardown = root.KeyNode("teardown") is { } teardownKey ? requests.ReadAll(teardownKey, root.Optional("teardown")!) : [],
            Source = source.FileName,
        };
        return options.Optional("maxSeriesPerMetric") is { } max
            ? plan with { MaxSeriesPerMetric = source.Int(max, "maxSeriesPerMetric", 1) }
            : plan;
    }

    private IReadOnlyList<ScenarioPlan> ScenariosWithoutShortcuts(YamlMap root, YamlScalarNode scenariosKey, ScenarioReader reader)
    {
        foreach (var shortcut in ShortcutKeys)
        {
            if (root.KeyNode(shortcut) is { } key)
            {
                throw source.Error(key, $"top-level '{shortcut}' is a shortcut for a single-scenario test and cannot be combined with scenarios; move it into a scenario");
            }
        }
        return reader.ReadAll(scenariosKey, root.Optional("scenarios")!);
    }

    private ScenarioPlan ShortcutScenario(YamlMap root, ExecutorReader executors, RequestReader requests)
    {
        if (root.KeyNode("requests") is not { } requestsKey)
        {
            var shortcut = ShortcutKeys.Select(root.KeyNode).FirstOrDefault(k => k is not null);
            throw shortcut is null
                ? source.Error(root.Node, "the test has no scenarios: add scenarios: (or top-level requests: for a single scenario)")
                : source.Error(shortcut, $"top-level '{shortcut.Value}' needs top-level requests: to run, e.g. requests: [{{ url: /items }}]");
        }
        return new ScenarioPlan
        {
            Name = DefaultScenarioName,
            Executor = executors.Shortcut(root),
            Steps = requests.ReadAll(requestsKey, root.Optional("requests")!),
            Location = source.At(requestsKey),
        };
    }

    // `profiles: { local: { vus: 5, duration: 30s }, stress: { stages: [...] } }`, each like k6's top-level shortcuts.
    private Dictionary<string, ExecutorPlan> Profiles(YamlNode node, ExecutorReader executors)
    {
        var profiles = new Dictionary<string, ExecutorPlan>(StringComparer.Ordinal);
        foreach (var (key, value) in source.Map(node, "profiles").Entries)
        {
            var map = source.Map(value, $"profile '{key.Value}'", key);
            map.AllowOnly(["vus", "duration", "iterations", "stages"]);
            profiles[key.Value ?? ""] = executors.Shortcut(map);
        }
        return profiles;
    }

    // `metrics: { invoice_creation_success: rate, payment_processing_time: trend-time }`: a kind per name.
    private List<MetricDefinition> CustomMetrics(YamlNode node)
    {
        string[] kinds = ["counter", "gauge", "rate", "trend", "trend-time"];
        var metrics = new List<MetricDefinition>();
        foreach (var (key, value) in source.Map(node, "metrics").Entries)
        {
            var name = key.Value ?? "";
            if (BuiltinMetrics.Find(name) is not null)
            {
                throw source.Error(key, $"'{name}' is a built-in metric; give your metric another name");
            }
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw source.Error(key, $"metric name '{name}' may only use letters, digits and '_'");
            }
            var kind = source.Text(value, $"the kind of metric '{name}'");
            metrics.Add(kind switch
            {
                "counter" => new MetricDefinition(name, MetricKind.Counter),
                "gauge" => new MetricDefinition(name, MetricKind.Gauge),
                "rate" => new MetricDefinition(name, MetricKind.Rate),
                "trend" => new MetricDefinition(name, MetricKind.Trend),
                "trend-time" => new MetricDefinition(name, MetricKind.Trend, MetricContains.Time),
                _ => throw source.Error(value, Suggest.Unknown("metric kind", kind, kinds)),
            });
        }
        return metrics;
    }

    private HttpOptions Http(YamlMap options) => new()
    {
        InsecureSkipTlsVerify = options.Optional("insecureSkipTLSVerify") is { } skip && source.Boolean(skip, "insecureSkipTLSVerify"),
        Connections = options.Optional("connections") is { } mode ? Connections(mode) : ConnectionSharing.PerVu,
        MaxRedirects = options.Optional("maxRedirects") is { } max ? RequestReader.MaxRedirects(source, max) : HttpOptions.DefaultMaxRedirects,
        CookieJar = options.Optional("cookieJar") is not { } jar || source.Boolean(jar, "cookieJar"),
        NoCookiesReset = options.Optional("noCookiesReset") is { } keep && source.Boolean(keep, "noCookiesReset"),
    };

    private ConnectionSharing Connections(YamlNode node) =>
        source.OneOf(node, "connections", ConnectionModes) == "shared" ? ConnectionSharing.Shared : ConnectionSharing.PerVu;

    /// <summary>
    /// The file's baseUrl, replaced by the settings' one when given; both must be absolute http(s) URLs, or templates
    /// such as <c>{{ env("API_BASE_URL") }}</c> that the run's environment completes.
    /// </summary>
    private string? BaseUrl(YamlMap options)
    {
        string? fromFile = null;
        if (options.Optional("baseUrl") is { } node)
        {
            fromFile = source.Text(node, "baseUrl");
            if (!RequestReader.IsHttpUrl(fromFile) && !RequestReader.IsTemplated(fromFile))
            {
                throw source.Error(node, $"baseUrl '{fromFile}' must be an absolute http or https URL, e.g. http://127.0.0.1:5000");
            }
        }
        if (settings.BaseUrl is null)
        {
            return fromFile;
        }
        return RequestReader.IsHttpUrl(settings.BaseUrl)
            ? settings.BaseUrl
            : throw new PlanException($"base URL '{settings.BaseUrl}' (--base-url) must be an absolute http or https URL, e.g. http://127.0.0.1:5000");
    }

    private List<string> TrendStats(YamlNode node, YamlNode key)
    {
        var items = source.Sequence(node, "summaryTrendStats", "[avg, med, p(95), p(99)]");
        if (items.Count == 0)
        {
            throw source.Error(key, "summaryTrendStats needs at least one statistic, e.g. [avg, med, p(95), p(99)]");
        }
        var stats = new List<string>(items.Count);
        foreach (var item in items)
        {
            var stat = source.Text(item, "a summary statistic");
            if (!MetricAggregate.IsTrendStat(stat))
            {
                var hint = stat.Length > 1 && stat[0] == 'p' && double.TryParse(stat.AsSpan(1), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                    ? $"; did you mean 'p({stat[1..]})'?"
                    : ".";
                throw source.Error(item, $"'{stat}' is not a trend statistic{hint} Allowed: avg, min, med, max, count, p(N) with N from 0 to 100");
            }
            if (stats.Contains(stat))
            {
                throw source.Error(item, $"'{stat}' is listed twice in summaryTrendStats");
            }
            stats.Add(stat);
        }
        return stats;
    }
}
