using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using k8s;
using k8s.Models;
using Surge.Plans;
using Surge.Reporting;
using Surge.Results;

namespace Surge.Kubernetes.Tests;

/// <summary>
/// No cluster runs here: the manifests are checked against Kubernetes' object model instead. They are written as YAML,
/// read back by KubernetesClient into its typed models (as the API server would decode them), and the fields a run
/// depends on are checked one by one.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the pods' shell scripts run under /bin/sh
public sealed partial class ManifestTests
{
    private const string Test = """
        options: { baseUrl: http://127.0.0.1:8080 }
        data:
          users: { file: data/users.csv }
        scenarios:
          browse:
            executor: shared-iterations
            vus: 3
            iterations: 999
            data: users
            requests:
              - get: /items
        """;

    private static readonly byte[] Users = Encoding.UTF8.GetBytes("user\nann\nbob\n");

    private static KubernetesRunSettings Settings(int instances = 3, string test = "checkout.yaml") => new()
    {
        Test = new TestFile(test, Encoding.UTF8.GetBytes(Test)),
        DataFiles = [new TestFile("data/users.csv", Users)],
        Instances = instances,
        Image = "registry.example/surge:0.1.0",
        Namespace = "load",
        Token = "secret-token",
    };

    /// <summary>The manifests as kubectl would read them: the YAML file, parsed back into KubernetesClient's types.</summary>
    private static List<object> Applied(KubernetesRunSettings settings) =>
        KubernetesYaml.LoadAllFromString(KubernetesRun.ToYaml(KubernetesRun.Build(settings)));

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();

    [Fact]
    public void The_manifests_deserialize_into_kubernetes_types_one_of_each_object_the_run_needs()
    {
        var objects = Applied(Settings());

        Assert.Equal([typeof(V1Secret), typeof(V1ConfigMap), typeof(V1Service), typeof(V1Job), typeof(V1Job)], objects.Select(o => o.GetType()));
        Assert.All(objects.Cast<IKubernetesObject<V1ObjectMeta>>(), o => Assert.Equal("load", o.Metadata.NamespaceProperty));
        Assert.Equal("secret-token", objects.OfType<V1Secret>().Single().StringData[KubernetesRun.TokenVariable]);
    }

    [Fact]
    public void The_instances_are_an_indexed_job_of_n_pods_all_running_at_once_and_never_retried()
    {
        var job = Applied(Settings(instances: 4)).OfType<V1Job>().First();

        Assert.Equal("surge-checkout", job.Metadata.Name);
        Assert.Equal("Indexed", job.Spec.CompletionMode);
        Assert.Equal(4, job.Spec.Completions);
        Assert.Equal(4, job.Spec.Parallelism);
        Assert.Equal(0, job.Spec.BackoffLimit); // a retried pod would run its segment twice
        Assert.Equal("Never", job.Spec.Template.Spec.RestartPolicy);
        Assert.Equal("surge-checkout", job.Spec.Template.Spec.Subdomain); // NAME-i.NAME through the headless Service
        var container = Assert.Single(job.Spec.Template.Spec.Containers);
        Assert.Equal("registry.example/surge:0.1.0", container.Image);
        Assert.Equal(["/bin/sh", "-c"], container.Command.Take(2));
        Assert.Equal("/v1/status", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("6565", container.ReadinessProbe.HttpGet.Port.Value);
        Assert.Equal("1", container.Resources.Requests["cpu"].ToString());
        Assert.False(container.Resources.Limits.ContainsKey("cpu"));
        Assert.Equal("surge-checkout-token", Assert.Single(container.Env).ValueFrom.SecretKeyRef.Name);
    }

    [Fact]
    public void Each_pod_runs_paused_on_the_segment_of_its_completion_index_and_prints_its_result()
    {
        var script = Applied(Settings(instances: 3)).OfType<V1Job>().First().Spec.Template.Spec.Containers[0].Command[2];

        Assert.Contains("surge run '/test/checkout.yaml' --execution-segment \"$i/3:$((i + 1))/3\" --execution-segment-sequence 0,1/3,2/3,1 --paused --address 0.0.0.0:6565 --result /results/result.json",
            script, StringComparison.Ordinal);
        Assert.Contains("i=\"$JOB_COMPLETION_INDEX\"", script, StringComparison.Ordinal);
        Assert.Contains("gzip -c /results/result.json | base64", script, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, "0/3:1/3")]
    [InlineData(1, "1/3:2/3")]
    [InlineData(2, "2/3:3/3")]
    public async Task The_pods_shell_computes_each_index_segment_as_k6_segments_of_the_sequence(int index, string segment)
    {
        // The pod's script, run by a real sh with a stand-in `surge` that prints the arguments it was given.
        var folder = Directory.CreateTempSubdirectory("surge-k8s-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "surge"), "#!/bin/sh\necho \"$@\"\nexit 99\n");
        File.SetUnixFileMode(Path.Combine(folder, "surge"), UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var script = Applied(Settings()).OfType<V1Job>().First().Spec.Template.Spec.Containers[0].Command[2];

        var (code, output) = await ShellAsync(script, folder, index);

        Assert.Equal(0, code); // thresholds (99) are judged on the merged result, so the pod succeeds
        Assert.Contains($"--execution-segment {segment} --execution-segment-sequence 0,1/3,2/3,1", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_printed_by_the_pods_shell_is_read_back_from_its_log_exactly()
    {
        // The protocol end to end with the real tools of the image (sh, gzip, base64): a stand-in `surge` writes a
        // result where --result says, the pod's script prints it, and the collector reads it from the log.
        var folder = Directory.CreateTempSubdirectory("surge-k8s-").FullName;
        var result = Path.Combine(folder, "result.json");
        var summary = new RunSummary
        {
            StartedAt = DateTimeOffset.UtcNow,
            Duration = TimeSpan.FromSeconds(3),
            Metrics = [],
            Thresholds = [],
            Scenarios = [new ScenarioSummary { Name = "browse", Executor = "shared-iterations", Description = "x", CompletedIterations = 333 }],
            Warnings = ["ünïcode survives"],
        };
        using (var stream = File.Create(Path.Combine(folder, "expected.json")))
        {
            ResultFile.Write(summary, stream);
        }
        await File.WriteAllTextAsync(Path.Combine(folder, "surge"), $"#!/bin/sh\necho 'summary text on stdout'\ncp '{folder}/expected.json' '{result}'\n");
        File.SetUnixFileMode(Path.Combine(folder, "surge"), UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.UserWrite);
        var script = Applied(Settings()).OfType<V1Job>().First().Spec.Template.Spec.Containers[0].Command[2]
            .Replace(KubernetesRun.ResultPath, result, StringComparison.Ordinal);

        var (code, log) = await ShellAsync(script, folder, index: 2);

        Assert.Equal(0, code);
        var back = PodResults.Read(log, "2");
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "expected.json")), Bytes(back));
        Assert.Throws<FormatException>(() => PodResults.Read(log, "1")); // another index's markers are not this one's
        Assert.Contains("cut off", Assert.Throws<FormatException>(() => PodResults.Read(log[..log.IndexOf("-----END", StringComparison.Ordinal)], "2")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_configmap_holds_the_test_and_its_data_files_at_their_relative_paths()
    {
        var objects = Applied(Settings());
        var map = objects.OfType<V1ConfigMap>().Single();
        var volume = objects.OfType<V1Job>().First().Spec.Template.Spec.Volumes.Single(v => v.ConfigMap is not null);

        Assert.Equal(["checkout.yaml", "data__users.csv"], map.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Test, map.Data["checkout.yaml"]);
        Assert.Equal("user\nann\nbob\n", map.Data["data__users.csv"]);
        Assert.Equal(map.Metadata.Name, volume.ConfigMap.Name);
        Assert.Equal([("checkout.yaml", "checkout.yaml"), ("data__users.csv", "data/users.csv")], volume.ConfigMap.Items.Select(i => (i.Key, i.Path)));
        Assert.All(map.Data.Keys, key => Assert.Matches("^[-._a-zA-Z0-9]+$", key));
    }

    [Fact]
    public void A_headless_service_selects_the_instance_pods_for_stable_names()
    {
        var objects = Applied(Settings());
        var service = objects.OfType<V1Service>().Single();
        var pods = objects.OfType<V1Job>().First().Spec.Template.Metadata.Labels;

        Assert.Equal("surge-checkout", service.Metadata.Name);
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.All(service.Spec.Selector, label => Assert.Equal(label.Value, pods[label.Key]));
        Assert.Equal(6565, Assert.Single(service.Spec.Ports).Port);
        var starter = objects.OfType<V1Job>().Last();
        Assert.DoesNotContain(starter.Spec.Template.Metadata.Labels, label => service.Spec.Selector.Contains(label) && label.Key == "app.kubernetes.io/component");
    }

    [Fact]
    public void The_starter_waits_for_every_instances_name_and_then_resumes_them_all()
    {
        var starter = Applied(Settings(instances: 3)).OfType<V1Job>().Last();
        var script = starter.Spec.Template.Spec.Containers[0].Command[2];

        Assert.Equal("surge-checkout-starter", starter.Metadata.Name);
        Assert.Null(starter.Spec.CompletionMode);
        Assert.Contains("for i in $(seq 0 2); do", script, StringComparison.Ordinal);
        Assert.Contains("host=\"surge-checkout-$i.surge-checkout\"", script, StringComparison.Ordinal);
        Assert.Contains("exec surge resume --timeout 5m $addresses", script, StringComparison.Ordinal);
        Assert.Equal(KubernetesRun.TokenVariable, Assert.Single(starter.Spec.Template.Spec.Containers[0].Env).Name);
    }

    [Theory]
    [InlineData("Checkout Test!.yaml", "surge-checkout-test")]
    [InlineData("ÜBER_load..test.yml", "surge-ber-load-test")]
    [InlineData("---.yaml", "surge")]
    [InlineData("a-very-long-test-file-name-that-goes-on-and-on-and-on.yaml", "surge-a-very-long-test-file-name-that-go")]
    [InlineData("123.yaml", "surge-123")]
    public void A_test_name_with_odd_characters_yields_valid_names_for_every_object(string file, string expected)
    {
        var objects = Applied(Settings(instances: 1000, test: file)).Cast<IKubernetesObject<V1ObjectMeta>>().ToList();

        var name = objects.OfType<V1Service>().Single().Metadata.Name;
        Assert.Equal(expected.TrimEnd('-'), name);
        Assert.Matches(Dns1035Label(), name);
        Assert.All(objects, o => Assert.Matches(Dns1123Subdomain(), o.Metadata.Name));
        Assert.All(objects, o => Assert.True(o.Metadata.Name.Length <= 63, o.Metadata.Name));
        Assert.True($"{name}-999".Length <= 63); // the last pod's host name
        Assert.All(objects.SelectMany(o => o.Metadata.Labels.Values), v => Assert.True(v.Length <= 63 && Dns1123Subdomain().IsMatch(v), v));
    }

    [Theory]
    [InlineData("../shared/users.csv", "outside the test's folder")]
    [InlineData("/etc/users.csv", "outside the test's folder")]
    public void A_data_file_outside_the_tests_folder_is_refused(string path, string expected)
    {
        var settings = Settings() with { DataFiles = [new TestFile(path, Users)] };

        var error = Assert.Throws<PlanException>(() => KubernetesRun.Build(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_beyond_what_a_configmap_holds_is_refused_with_the_size()
    {
        var settings = Settings() with { DataFiles = [new TestFile("big.csv", new byte[1024 * 1024])] };

        var error = Assert.Throws<PlanException>(() => KubernetesRun.Build(settings));

        Assert.Contains("more than a ConfigMap holds (1 MiB)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, null, "load", "--instances 0")]
    [InlineData(3, "Bad_Name", "load", "--name 'Bad_Name' is not a DNS label")]
    [InlineData(3, null, "Load!", "--namespace 'Load!'")]
    public void Bad_settings_are_refused_naming_the_option(int instances, string? name, string ns, string expected)
    {
        var settings = Settings(instances) with { Name = name, Namespace = ns };

        var error = Assert.Throws<PlanException>(() => KubernetesRun.Build(settings));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static byte[] Bytes(RunSummary summary)
    {
        using var stream = new MemoryStream();
        ResultFile.Write(summary, stream);
        return stream.ToArray();
    }

    private static async Task<(int Code, string Output)> ShellAsync(string script, string path, int index)
    {
        var start = new ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.Environment["PATH"] = $"{path}:{Environment.GetEnvironmentVariable("PATH")}";
        start.Environment["JOB_COMPLETION_INDEX"] = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
