using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Surge.Plans;

namespace Surge.Kubernetes;

/// <summary>One file the test needs in the pods: its path relative to the test's folder, and its bytes.</summary>
public sealed record TestFile(string RelativePath, byte[] Content);

/// <summary>What `surge k8s` turns into manifests: the test and its files, how many instances, where and with what.</summary>
public sealed record KubernetesRunSettings
{
    /// <summary>The image <see cref="Image"/> defaults to: the one deploy/Dockerfile builds.</summary>
    public const string DefaultImage = "surge:0.1.0";

    /// <summary>The namespace <see cref="Namespace"/> defaults to.</summary>
    public const string DefaultNamespace = "default";

    /// <summary>The test file itself, placed at the top of the test folder.</summary>
    public required TestFile Test { get; init; }

    /// <summary>The data files the test reads, relative to the test's folder.</summary>
    public IReadOnlyList<TestFile> DataFiles { get; init; } = [];

    /// <summary>How many pods run the test together, each on its own execution segment (1/N of the load); 1 to 10,000.</summary>
    public required int Instances { get; init; }

    /// <summary>The container image with surge that every pod runs; <see cref="DefaultImage"/> unless set.</summary>
    public string Image { get; init; } = DefaultImage;

    /// <summary>The namespace of every object; <see cref="DefaultNamespace"/> unless set.</summary>
    public string Namespace { get; init; } = DefaultNamespace;

    /// <summary>The run's name (a DNS-1035 label); null for one made from the test file's name.</summary>
    public string? Name { get; init; }

    /// <summary>The API token of the instances, given to them and to the starter through a Secret; null for a fresh random one.</summary>
    public string? Token { get; init; }
}

/// <summary>
/// The Kubernetes objects of one distributed run, as typed KubernetesClient models:
/// <list type="bullet">
/// <item>a Secret with the instances' API token;</item>
/// <item>a ConfigMap with the test and its data files, mounted at <see cref="TestFolder"/> in their relative layout;</item>
/// <item>a headless Service, so that instance i has the stable DNS name NAME-i.NAME once it is ready;</item>
/// <item>an Indexed Job of N pods, each running `surge run --paused` on the execution segment of its
/// JOB_COMPLETION_INDEX, then printing its result to its log between markers (any cluster keeps pod logs; a volume
/// every pod can write needs a ReadWriteMany storage class, which many clusters lack);</item>
/// <item>a starter Job that waits until every instance's name resolves (the Service publishes only ready pods) and
/// then runs `surge resume` against all of them at once.</item>
/// </list>
/// </summary>
public static class KubernetesRun
{
    internal const int ApiPort = 6565;
    internal const string TestFolder = "/test";
    internal const string ResultPath = "/results/result.json";
    internal const string RunLabel = "surge.io/run";
    internal const string TokenVariable = "SURGE_API_TOKEN";

    /// <summary>A ConfigMap holds at most 1 MiB (etcd's limit on one object); the data beyond that must come another way.</summary>
    internal const int MaxConfigMapBytes = 1024 * 1024;

    /// <summary>A pod's host name NAME-INDEX is a DNS label of at most 63 characters; this leaves room for the index and suffixes.</summary>
    internal const int MaxNameLength = 40;

    internal const int MaxInstances = 10_000;

    private static readonly Regex Label = new("^[a-z]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);
    private static readonly Regex NamespaceName = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", RegexOptions.CultureInvariant);

    internal static string BeginMarker(string index) => $"-----BEGIN SURGE RESULT {index}-----";

    internal static string EndMarker(string index) => $"-----END SURGE RESULT {index}-----";

    /// <summary>A valid run name from a test file's name: "surge-" and its lowercase letters and digits, other runs of characters as one '-'.</summary>
    internal static string NameFor(string testPath)
    {
        var stem = Path.GetFileNameWithoutExtension(testPath).ToLowerInvariant();
        var name = "surge-" + Regex.Replace(stem, "[^a-z0-9]+", "-", RegexOptions.CultureInvariant).Trim('-');
        name = name.Length > MaxNameLength ? name[..MaxNameLength] : name;
        return name.TrimEnd('-');
    }

    /// <summary>Null when the name is a DNS-1035 label short enough for every object and pod host name; otherwise why not.</summary>
    internal static string? NameProblem(string name) =>
        name.Length > MaxNameLength ? $"'{name}' is longer than {MaxNameLength} characters (pod host names NAME-INDEX must fit in 63)"
        : !Label.IsMatch(name) ? $"'{name}' is not a DNS label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit"
        : null;

    /// <summary>k6's segments of N equal parts: the sequence 0,1/N,...,1, and instance i's segment i/N:(i+1)/N.</summary>
    internal static string Sequence(int instances) =>
        string.Join(',', Enumerable.Range(0, instances + 1).Select(i => i == 0 ? "0" : i == instances ? "1" : $"{i}/{instances}"));

    /// <summary>
    /// The objects of the run, in the order to apply them. What Kubernetes would refuse (an instance count outside 1 to
    /// 10,000, a name, namespace or image it cannot take) and test files that cannot travel in the ConfigMap (not UTF-8
    /// text, outside the test's folder, more than its 1 MiB in all) are a <see cref="PlanException"/> naming the setting.
    /// </summary>
    public static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Build(KubernetesRunSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Instances is < 1 or > MaxInstances)
        {
            throw new PlanException($"--instances {settings.Instances}: give 1 to {MaxInstances}");
        }
        var name = settings.Name ?? NameFor(settings.Test.RelativePath);
        if (NameProblem(name) is { } problem)
        {
            throw new PlanException($"--name {problem}");
        }
        if (settings.Namespace.Length > 63 || !NamespaceName.IsMatch(settings.Namespace))
        {
            throw new PlanException($"--namespace '{settings.Namespace}' is not a Kubernetes namespace name (lowercase letters, digits and '-', at most 63)");
        }
        if (string.IsNullOrWhiteSpace(settings.Image) || settings.Image.Any(char.IsWhiteSpace))
        {
            throw new PlanException($"--image '{settings.Image}' is not an image reference");
        }
        var files = ConfigMapFiles(settings);
        var labels = new Dictionary<string, string>
        {
            ["app.kubernetes.io/name"] = "surge",
            ["app.kubernetes.io/instance"] = name,
            [RunLabel] = name,
        };
        var token = settings.Token ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return
        [
            new V1Secret
            {
                ApiVersion = "v1",
                Kind = "Secret",
                Metadata = Meta(name + "-token", settings.Namespace, labels),
                StringData = new Dictionary<string, string> { [TokenVariable] = token },
            },
            new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = Meta(name + "-test", settings.Namespace, labels),
                Data = files.ToDictionary(f => f.Key, f => Encoding.UTF8.GetString(f.File.Content)),
            },
            new V1Service
            {
                ApiVersion = "v1",
                Kind = "Service",
                Metadata = Meta(name, settings.Namespace, labels),
                Spec = new V1ServiceSpec
                {
                    // Headless: instance i is NAME-i.NAME (the Job's pods set subdomain NAME), published once ready.
                    ClusterIP = "None",
                    Selector = new Dictionary<string, string> { [RunLabel] = name, ["app.kubernetes.io/component"] = "instance" },
                    Ports = [new V1ServicePort { Name = "api", Port = ApiPort, TargetPort = ApiPort }],
                },
            },
            InstancesJob(settings, name, labels, files),
            StarterJob(settings, name, labels),
        ];
    }

    /// <summary>The manifests as one multi-document YAML file, ready for `kubectl apply -f`.</summary>
    public static string ToYaml(IEnumerable<IKubernetesObject<V1ObjectMeta>> objects) =>
        string.Join("---\n", objects.Select(o => KubernetesYaml.Serialize(o).TrimEnd('\n') + "\n"));

    private static V1ObjectMeta Meta(string name, string ns, Dictionary<string, string> labels) =>
        new() { Name = name, NamespaceProperty = ns, Labels = new Dictionary<string, string>(labels) };

    private static List<(string Key, TestFile File)> ConfigMapFiles(KubernetesRunSettings settings)
    {
        var files = new List<(string Key, TestFile File)>();
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in new[] { settings.Test }.Concat(settings.DataFiles))
        {
            var relative = file.RelativePath.Replace('\\', '/');
            if (Path.IsPathRooted(relative) || relative.Split('/').Any(part => part is ".." or "." or ""))
            {
                throw new PlanException($"the data file '{file.RelativePath}' is outside the test's folder; the pods get the test's folder only, so move it beside the test (or below it)");
            }
            if (files.Any(f => f.File.RelativePath == relative))
            {
                continue;
            }
            try
            {
                _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(file.Content);
            }
            catch (DecoderFallbackException)
            {
                throw new PlanException($"'{file.RelativePath}' is not UTF-8 text; a test's files travel in a ConfigMap as text");
            }
            // A ConfigMap key is [-._a-zA-Z0-9]+; the volume's items put each key back at its relative path.
            var key = Regex.Replace(relative.Replace("/", "__", StringComparison.Ordinal), "[^-._a-zA-Z0-9]", "-", RegexOptions.CultureInvariant);
            var unique = key;
            for (var n = 2; !keys.Add(unique); n++)
            {
                unique = $"{n.ToString(CultureInfo.InvariantCulture)}-{key}";
            }
            files.Add((unique, file with { RelativePath = relative }));
        }
        var bytes = files.Sum(f => (long)f.File.Content.Length + f.Key.Length);
        if (bytes > MaxConfigMapBytes - 4096)
        {
            throw new PlanException(
                $"the test and its data files are {bytes / 1024.0:0} KB, more than a ConfigMap holds (1 MiB); build them into the image (deploy/Dockerfile) or mount them from a volume");
        }
        return files;
    }

    private static V1Job InstancesJob(KubernetesRunSettings settings, string name, Dictionary<string, string> labels, List<(string Key, TestFile File)> files)
    {
        var n = settings.Instances;
        var test = $"{TestFolder}/{settings.Test.RelativePath.Replace('\\', '/')}";

        // The segment comes from the index the Job gives each pod: i/N:(i+1)/N of the sequence 0,1/N,...,1.
        // Thresholds are judged on the merged result, so an instance's own 99 is not a failure of its pod; any other
        // code is, and backoffLimit 0 keeps Kubernetes from running a segment twice.
        var script = $$"""
            i="$JOB_COMPLETION_INDEX"
            surge run {{Quote(test)}} --execution-segment "$i/{{n}}:$((i + 1))/{{n}}" --execution-segment-sequence {{Sequence(n)}} --paused --address 0.0.0.0:{{ApiPort}} --result {{ResultPath}} --quiet --no-color
            code=$?
            if [ -s {{ResultPath}} ]; then
              echo "{{BeginMarker("$i")}}"
              gzip -c {{ResultPath}} | base64
              echo "{{EndMarker("$i")}}"
            fi
            case "$code" in 0|99) exit 0 ;; *) exit "$code" ;; esac
            """;
        var instanceLabels = new Dictionary<string, string>(labels) { ["app.kubernetes.io/component"] = "instance" };
        var container = ShellContainer("surge", settings.Image, name, script);
        container.Ports = [new V1ContainerPort { Name = "api", ContainerPort = ApiPort }];
        // Ready once the REST API answers: the plan is loaded and the instance waits, paused.
        container.ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/v1/status", Port = ApiPort }, PeriodSeconds = 1 };
        // A load generator must not be throttled mid-run (a CPU limit would bend latencies), so it asks for a whole
        // core and sets no CPU limit; memory is bounded.
        container.Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("512Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("2Gi") },
        };
        container.VolumeMounts =
        [
            new V1VolumeMount { Name = "test", MountPath = TestFolder, ReadOnlyProperty = true },
            new V1VolumeMount { Name = "results", MountPath = Path.GetDirectoryName(ResultPath)! },
        ];
        var job = OneTryJob(Meta(name, settings.Namespace, instanceLabels), container);
        job.Spec.CompletionMode = "Indexed";
        job.Spec.Completions = n;
        job.Spec.Parallelism = n;
        job.Spec.Template.Spec.Subdomain = name;
        job.Spec.Template.Spec.Volumes =
        [
            new V1Volume
            {
                Name = "test",
                ConfigMap = new V1ConfigMapVolumeSource
                {
                    Name = name + "-test",
                    Items = [.. files.Select(f => new V1KeyToPath { Key = f.Key, Path = f.File.RelativePath })],
                },
            },
            new V1Volume { Name = "results", EmptyDir = new V1EmptyDirVolumeSource() },
        ];
        return job;
    }

    private static V1Job StarterJob(KubernetesRunSettings settings, string name, Dictionary<string, string> labels)
    {
        // The Service publishes an instance's name only once its pod is ready, so a name that resolves is an instance
        // waiting, paused. The API answers to its own addresses, so the starter resumes the addresses the names resolve to.
        var script = $$"""
            deadline=$(( $(date +%s) + 900 ))
            addresses=""
            for i in $(seq 0 {{settings.Instances - 1}}); do
              host="{{name}}-$i.{{name}}"
              until ip=$(getent hosts "$host" | cut -d' ' -f1) && [ -n "$ip" ]; do
                if [ "$(date +%s)" -ge "$deadline" ]; then echo "starter: $host was not ready after 15 minutes" >&2; exit 1; fi
                sleep 1
              done
              case "$ip" in *:*) ip="[$ip]" ;; esac
              echo "starter: $host is ready at $ip"
              addresses="$addresses $ip:{{ApiPort}}"
            done
            exec surge resume --timeout 5m $addresses
            """;
        var starterLabels = new Dictionary<string, string>(labels) { ["app.kubernetes.io/component"] = "starter" };
        var container = ShellContainer("starter", settings.Image, name, script);
        container.Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("100m"), ["memory"] = new("128Mi") },
        };
        return OneTryJob(Meta(name + "-starter", settings.Namespace, starterLabels), container);
    }

    /// <summary>A Job whose pods run once, never restarted or retried: a retried instance would send its load twice.</summary>
    private static V1Job OneTryJob(V1ObjectMeta metadata, V1Container container) => new()
    {
        ApiVersion = "batch/v1",
        Kind = "Job",
        Metadata = metadata,
        Spec = new V1JobSpec
        {
            BackoffLimit = 0,
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(metadata.Labels) },
                Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [container] },
            },
        },
    };

    /// <summary>The surge image running a shell script, with the run's API token.</summary>
    private static V1Container ShellContainer(string containerName, string image, string name, string script) => new()
    {
        Name = containerName,
        Image = image,
        ImagePullPolicy = "IfNotPresent",
        Command = ["/bin/sh", "-c", script],
        Env = [TokenFrom(name)],
    };

    private static V1EnvVar TokenFrom(string name) => new()
    {
        Name = TokenVariable,
        ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = name + "-token", Key = TokenVariable } },
    };

    // A path in single quotes for sh: every ' closes, escapes and reopens.
    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
