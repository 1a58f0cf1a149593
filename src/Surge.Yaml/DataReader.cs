using Surge.Data;
using Surge.Plans;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>
/// Reads top-level `data:`, named test-data files loaded once: `users: { file: users.csv, mode: sequential,
/// whenExhausted: stop }`. Relative files resolve against the test file's folder.
/// </summary>
internal sealed class DataReader(YamlSource source)
{
    private static readonly string[] Keys = ["file", "mode", "whenExhausted"];
    private static readonly string[] Modes = ["sequential", "random", "circular"];
    private static readonly string[] Policies = ["stop", "recycle"];

    public IReadOnlyDictionary<string, DataSourcePlan> ReadAll(YamlNode node)
    {
        var sources = new Dictionary<string, DataSourcePlan>(StringComparer.Ordinal);
        foreach (var (key, value) in source.Map(node, "data").Entries)
        {
            var name = key.Value ?? "";
            var map = source.Map(value, $"data source '{name}'", key);
            map.AllowOnly(Keys);
            var fileNode = map.Required("file", "name the CSV or JSON file, e.g. file: users.csv");
            var path = Resolve(source.Text(fileNode, "file"));
            sources[name] = new DataSourcePlan(name, DataTable.Load(path, source.At(fileNode)))
            {
                Mode = map.Optional("mode") is { } mode ? source.OneOf(mode, "mode", Modes) switch
                {
                    "random" => FeederMode.Random,
                    "circular" => FeederMode.Circular,
                    _ => FeederMode.Sequential,
                } : FeederMode.Sequential,
                WhenOutOfData = map.Optional("whenExhausted") is { } policy && source.OneOf(policy, "whenExhausted", Policies) == "recycle"
                    ? OutOfDataPolicy.Recycle
                    : OutOfDataPolicy.Stop,
                Location = source.At(key),
            };
        }
        return sources;
    }

    private string Resolve(string file)
    {
        if (Path.IsPathRooted(file))
        {
            return file;
        }
        var folder = Path.GetDirectoryName(Path.GetFullPath(source.FileName));
        return folder is null ? file : Path.Combine(folder, file);
    }
}
