using System.CommandLine;
using Surge.Kubernetes;
using Surge.Plans;
using Surge.Reporting;
using Surge.Results;
using Surge.Yaml;

namespace Surge.Cli.Commands;

/// <summary>
/// `surge k8s TEST.yaml --instances N`: the Kubernetes manifests of a distributed run (see <see cref="KubernetesRun"/>),
/// written for `kubectl apply -f`; with --apply also submitted, followed, collected and merged; with --collect only
/// followed, collected and merged (for manifests applied by hand).
/// </summary>
public static class KubernetesCommand
{
    public static Command Create()
    {
        var test = new Argument<string>("test") { Description = "The YAML test file; it and the data files it reads go into a ConfigMap" };
        var instances = new Option<int>("--instances", "-n") { Description = "How many pods share the test, each running one equal execution segment", Required = true };
        var image = new Option<string>("--image") { Description = "The container image with surge (built from deploy/Dockerfile)", DefaultValueFactory = _ => KubernetesRunSettings.DefaultImage };
        var ns = new Option<string>("--namespace") { Description = "The namespace of every object", DefaultValueFactory = _ => KubernetesRunSettings.DefaultNamespace };
        var name = new Option<string?>("--name") { Description = "The run's name (a DNS label, at most 40 characters); default: surge- and the test file's name" };
        var output = new Option<string>("--output", "-o") { Description = "The folder for NAME.yaml (and NAME-result.json after --apply or --collect)", DefaultValueFactory = _ => "." };
        var apply = new Option<bool>("--apply") { Description = "Also submit the manifests with the current kubeconfig, follow the run, then collect and merge the instances' results" };
        var collect = new Option<bool>("--collect") { Description = "Follow a run applied earlier (the same test, --instances, --name and --namespace), then collect and merge its results" };
        var noColor = new Option<bool>("--no-color") { Description = "No ANSI colors in the summary" };
        var command = new Command("k8s", "Write the Kubernetes manifests that run a test as N paused instances started together, and collect and merge their results")
        {
            test, instances, image, ns, name, output, apply, collect, noColor,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            if (parse.GetValue(apply) && parse.GetValue(collect))
            {
                throw new UsageException("--apply already collects; use --collect alone for a run applied earlier");
            }
            var path = parse.GetValue(test)!;
            var settings = Settings(path, parse.GetValue(instances), parse.GetValue(image)!, parse.GetValue(ns)!, parse.GetValue(name));
            var objects = KubernetesRun.Build(settings);
            var runName = settings.Name ?? KubernetesRun.NameFor(settings.Test.RelativePath);
            var folder = parse.GetValue(output)!;
            var manifest = Path.Combine(folder, runName + ".yaml");
            var merged = Path.Combine(folder, runName + "-result.json");
            List<OutputFile> files = [OutputFile.Text("--output", manifest, writer => writer.Write(KubernetesRun.ToYaml(objects)))];
            if (parse.GetValue(apply) || parse.GetValue(collect))
            {
                files.Add(new OutputFile("--output", merged, _ => { }));
            }
            OutputFiles.Check(files);
            if (!parse.GetValue(collect))
            {
                var failures = OutputFiles.Write(files.Take(1));
                if (failures.Count > 0)
                {
                    throw new PlanException(failures[0]);
                }
                Console.Error.WriteLine($"k8s: wrote {manifest}: {settings.Instances} instances of {path} in namespace {settings.Namespace}");
            }
            if (!parse.GetValue(apply) && !parse.GetValue(collect))
            {
                Console.Error.WriteLine($"k8s: start it with `kubectl apply -f '{manifest}'`; then `surge k8s '{path}' --instances {settings.Instances}{(parse.GetValue(name) is { } n ? $" --name {n}" : "")} --namespace {settings.Namespace} --collect -o '{folder}'` merges the results");
                return ExitCodes.Success;
            }
            using var cluster = ClusterRun.Connect();
            if (parse.GetValue(apply))
            {
                await cluster.SubmitAsync(objects, Console.Error, cancellation);
            }
            var completed = await cluster.FollowAsync(settings.Namespace, runName, Console.Error, cancellation);
            var parts = await cluster.CollectAsync(settings.Namespace, runName, settings.Instances, cancellation);
            RunSummary result;
            try
            {
                result = ResultMerge.Merge([.. parts.Select(p => p.Result)], [.. parts.Select(p => p.Source)]);
            }
            catch (MergeException exception)
            {
                throw new PlanException($"cannot merge the instances' results: {exception.Message}", exception);
            }
            if (!completed)
            {
                Console.Error.WriteLine($"k8s: the Job {runName} failed; the results of every instance were still collected");
            }
            Console.Error.WriteLine($"k8s: merged {parts.Count} results into {merged}");
            return RunExecution.Finish(result, new OutputOptions(SummaryExport: null, ResultFile: null, Quiet: false, parse.GetValue(noColor)),
                [new OutputFile("--output", merged, stream => ResultFile.Write(result, stream))]);
        });
        return command;
    }

    /// <summary>The test (validated by loading it, as run does) and the data files its plan reads, relative to its folder.</summary>
    private static KubernetesRunSettings Settings(string path, int instances, string image, string ns, string? name)
    {
        if (!path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) && !path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            throw new PlanException($"{path}: surge k8s takes a YAML test file (.yaml or .yml)");
        }
        var plan = YamlPlanLoader.Load(path);
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var data = plan.Scenarios.Select(s => s.Data?.Table.Source).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(source => new TestFile(Path.GetRelativePath(folder, Path.GetFullPath(source)), File.ReadAllBytes(source)))
            .ToList();
        return new KubernetesRunSettings
        {
            Test = new TestFile(Path.GetFileName(path), File.ReadAllBytes(path)),
            DataFiles = data,
            Instances = instances,
            Image = image,
            Namespace = ns,
            Name = name,
        };
    }
}
