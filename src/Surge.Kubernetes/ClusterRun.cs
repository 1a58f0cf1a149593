using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;
using Surge.Plans;
using Surge.Results;

namespace Surge.Kubernetes;

/// <summary>
/// `surge k8s --apply`: submits a run's objects through the Kubernetes API (the kubeconfig kubectl uses), follows the
/// instances until their Job ends, and reads each instance's result from its pod's log. Every failure to reach or use
/// the cluster is a <see cref="PlanException"/> naming the cluster and what went wrong.
/// </summary>
internal sealed class ClusterRun : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    private readonly IKubernetes _client;
    private readonly string _server;

    private ClusterRun(IKubernetes client, string server)
    {
        _client = client;
        _server = server;
    }

    /// <summary>Connects with $KUBECONFIG, ~/.kube/config or the pod's service account, as kubectl does.</summary>
    public static ClusterRun Connect()
    {
        KubernetesClientConfiguration config;
        try
        {
            config = KubernetesClientConfiguration.BuildDefaultConfig();
        }
        catch (KubeConfigException exception)
        {
            var where = Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } path ? $"$KUBECONFIG ({path})" : "~/.kube/config";
            throw new PlanException($"--apply needs a Kubernetes cluster, and none is configured: no usable kubeconfig in {where} and not inside a pod ({exception.Message})");
        }
        return new ClusterRun(new k8s.Kubernetes(config), config.Host);
    }

    public void Dispose() => _client.Dispose();

    /// <summary>Creates every object; an object that already exists is an error naming it (a run is never silently reused).</summary>
    public async Task SubmitAsync(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, TextWriter log, CancellationToken cancellationToken)
    {
        foreach (var item in objects)
        {
            var ns = item.Metadata.NamespaceProperty;
            await CallAsync<object>($"creating {item.Kind} {ns}/{item.Metadata.Name}", async () => item switch
            {
                V1Secret secret => await _client.CoreV1.CreateNamespacedSecretAsync(secret, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                V1ConfigMap map => await _client.CoreV1.CreateNamespacedConfigMapAsync(map, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                V1Service service => await _client.CoreV1.CreateNamespacedServiceAsync(service, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                V1Job job => await _client.BatchV1.CreateNamespacedJobAsync(job, ns, cancellationToken: cancellationToken).ConfigureAwait(false),
                _ => throw new ArgumentException($"no way to create a {item.Kind}", nameof(objects)),
            }).ConfigureAwait(false);
            log.WriteLine($"k8s: created {item.Kind} {ns}/{item.Metadata.Name}");
        }
    }

    /// <summary>Follows the instances' Job until it completes or fails, printing each change of the pods' counts.</summary>
    public async Task<bool> FollowAsync(string ns, string name, TextWriter log, CancellationToken cancellationToken)
    {
        string? last = null;
        while (true)
        {
            var job = await CallAsync($"reading Job {ns}/{name}",
                () => _client.BatchV1.ReadNamespacedJobAsync(name, ns, cancellationToken: cancellationToken)).ConfigureAwait(false);
            var status = job.Status;
            var line = $"k8s: {name}: {status?.Ready ?? 0} ready, {status?.Active ?? 0} running, {status?.Succeeded ?? 0} done, {status?.Failed ?? 0} failed of {job.Spec.Completions}";
            if (line != last)
            {
                log.WriteLine(line);
                last = line;
            }
            var conditions = status?.Conditions ?? [];
            if (conditions.Any(c => c.Status == "True" && c.Type is "Complete" or "SuccessCriteriaMet"))
            {
                return true;
            }
            if (conditions.FirstOrDefault(c => c.Status == "True" && c.Type is "Failed" or "FailureTarget") is { } failed)
            {
                log.WriteLine($"k8s: {name} failed: {failed.Reason} {failed.Message}".TrimEnd());
                return false;
            }
            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every instance's result, read from its pod's log, by completion index.</summary>
    public async Task<IReadOnlyList<(string Source, RunSummary Result)>> CollectAsync(string ns, string name, int instances, CancellationToken cancellationToken)
    {
        var pods = await CallAsync($"listing the pods of Job {ns}/{name}", () => _client.CoreV1.ListNamespacedPodAsync(
            ns, labelSelector: $"{KubernetesRun.RunLabel}={name},app.kubernetes.io/component=instance", cancellationToken: cancellationToken)).ConfigureAwait(false);
        var results = new List<(string, RunSummary)>();
        var problems = new List<string>();
        for (var index = 0; index < instances; index++)
        {
            var text = index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            // A succeeded pod's log is the one that counts; a failed try of the same index (there is none with
            // backoffLimit 0, but a user may raise it) is skipped.
            var pod = pods.Items
                .Where(p => p.Metadata.Annotations is { } annotations
                    && annotations.TryGetValue("batch.kubernetes.io/job-completion-index", out var value) && value == text)
                .OrderByDescending(p => p.Status?.Phase == "Succeeded")
                .FirstOrDefault();
            if (pod is null)
            {
                problems.Add($"instance {index}: no pod found");
                continue;
            }
            var podName = pod.Metadata.Name;
            using var stream = await CallAsync($"reading the log of pod {ns}/{podName}", () => _client.CoreV1.ReadNamespacedPodLogAsync(
                podName, ns, container: "surge", cancellationToken: cancellationToken)).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            var log = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                results.Add(($"pod {podName}", PodResults.Read(log, text)));
            }
            catch (FormatException exception)
            {
                problems.Add($"instance {index} (pod {podName}): {exception.Message}");
            }
        }
        if (problems.Count > 0)
        {
            throw new PlanException($"not every instance's result could be collected, so no merged result is written: {string.Join("; ", problems)}");
        }
        return results;
    }

    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (HttpOperationException exception)
        {
            var reason = exception.Response.StatusCode switch
            {
                HttpStatusCode.Conflict => "it already exists (delete the previous run's objects, or choose another --name)",
                HttpStatusCode.Forbidden => "forbidden (the kubeconfig's user may not do this in this namespace)",
                HttpStatusCode.Unauthorized => "unauthorized (the kubeconfig's credentials were refused)",
                HttpStatusCode.NotFound => "not found",
                _ => $"HTTP {(int)exception.Response.StatusCode}",
            };
            throw new PlanException($"{what} on the Kubernetes API at {_server}: {reason}: {FirstLine(exception.Response.Content)}", exception);
        }
        catch (HttpRequestException exception)
        {
            throw new PlanException($"{what}: cannot reach the Kubernetes API at {_server}: {exception.Message}", exception);
        }
    }

    private static string FirstLine(string? text) => text is null ? "" : text.Split('\n')[0].Trim();
}
