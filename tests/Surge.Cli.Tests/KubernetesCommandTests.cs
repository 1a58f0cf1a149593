using k8s;
using k8s.Models;

namespace Surge.Cli.Tests;

/// <summary>`surge k8s` as a user runs it: the manifests it writes from a real test folder, and --apply without a cluster.</summary>
public sealed class KubernetesCommandTests
{
    private static string TestFolder()
    {
        var folder = Directory.CreateTempSubdirectory("surge-k8s-cli-").FullName;
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        File.WriteAllText(Path.Combine(folder, "data", "users.csv"), "user\nann\nbob\ncid\n");
        File.WriteAllText(Path.Combine(folder, "Shop Checkout.yaml"), """
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
            """);
        return folder;
    }

    [Fact]
    public async Task The_manifests_carry_the_test_and_the_data_files_its_plan_reads()
    {
        var folder = TestFolder();
        var output = Path.Combine(folder, "k8s");

        var run = await SurgeProcess.RunAsync("k8s", Path.Combine(folder, "Shop Checkout.yaml"), "--instances", "3", "--namespace", "load", "-o", output);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}:\n{run.Stderr}");
        var objects = KubernetesYaml.LoadAllFromString(await File.ReadAllTextAsync(Path.Combine(output, "surge-shop-checkout.yaml")));
        var map = objects.OfType<V1ConfigMap>().Single();
        Assert.Equal(["Shop-Checkout.yaml", "data__users.csv"], map.Data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("user\nann\nbob\ncid\n", map.Data["data__users.csv"]);
        Assert.Equal(3, objects.OfType<V1Job>().First().Spec.Completions);
        Assert.Contains("kubectl apply -f", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_broken_test_is_refused_with_its_location_before_anything_is_written()
    {
        var folder = TestFolder();
        var test = Path.Combine(folder, "broken.yaml");
        await File.WriteAllTextAsync(test, "scenarios:\n  a:\n    executor: constant-vus\n    vus: ten\n");

        var run = await SurgeProcess.RunAsync("k8s", test, "--instances", "2", "-o", Path.Combine(folder, "k8s"));

        Assert.Equal(104, run.ExitCode);
        Assert.Contains("broken.yaml:4:", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "k8s")));
    }

    [Fact]
    public async Task Apply_without_a_kubeconfig_fails_with_a_clear_error_and_exit_104()
    {
        var folder = TestFolder();

        var run = await SurgeProcess.RunWithEnvironmentAsync(
            new Dictionary<string, string> { ["KUBECONFIG"] = Path.Combine(folder, "no-such-kubeconfig"), ["HOME"] = folder },
            "k8s", Path.Combine(folder, "Shop Checkout.yaml"), "--instances", "3", "-o", Path.Combine(folder, "k8s"), "--apply");

        Assert.Equal(104, run.ExitCode);
        Assert.Contains("error: --apply needs a Kubernetes cluster, and none is configured", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_to_an_unreachable_cluster_names_the_server_and_exits_104()
    {
        var folder = TestFolder();
        var kubeconfig = Path.Combine(folder, "kubeconfig");
        // A loopback port nothing listens on: the API server of a cluster that is down.
        await File.WriteAllTextAsync(kubeconfig, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: down
              cluster: { server: "http://127.0.0.1:9" }
            users:
            - name: me
              user: { token: t }
            contexts:
            - name: down
              context: { cluster: down, user: me }
            current-context: down
            """);

        var run = await SurgeProcess.RunWithEnvironmentAsync(new Dictionary<string, string> { ["KUBECONFIG"] = kubeconfig },
            "k8s", Path.Combine(folder, "Shop Checkout.yaml"), "--instances", "3", "-o", Path.Combine(folder, "k8s"), "--apply");

        Assert.Equal(104, run.ExitCode);
        Assert.Contains("cannot reach the Kubernetes API at http://127.0.0.1:9", run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
    }
}
