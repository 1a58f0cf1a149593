using Surge.Plans;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>
/// A mapping whose keys are names, in file order. The description names it in messages ("scenario 'browse'")
/// and the owner is the node blamed when a required key is missing.
/// </summary>
internal sealed class YamlMap(
    YamlSource source, YamlNode node, string description, YamlNode owner,
    IReadOnlyList<KeyValuePair<YamlScalarNode, YamlNode>> entries)
{
    public YamlNode Node => node;

    public IReadOnlyList<KeyValuePair<YamlScalarNode, YamlNode>> Entries => entries;

    public YamlNode? Optional(string key) => Find(key)?.Value;

    public YamlNode Required(string key, string hint) =>
        Optional(key) ?? throw source.Error(owner, $"{description} is missing '{key}'; {hint}");

    public YamlScalarNode? KeyNode(string key) => Find(key)?.Key;

    /// <summary>Rejects the first key not in <paramref name="allowed"/>, suggesting the closest allowed one.</summary>
    public void AllowOnly(IReadOnlyCollection<string> allowed)
    {
        foreach (var (key, _) in entries)
        {
            var name = key.Value ?? "";
            if (!allowed.Contains(name))
            {
                throw source.Error(key, Suggest.Unknown("key", name, allowed, $" in {description}"));
            }
        }
    }

    private KeyValuePair<YamlScalarNode, YamlNode>? Find(string key)
    {
        foreach (var entry in entries)
        {
            if (entry.Key.Value == key)
            {
                return entry;
            }
        }
        return null;
    }
}
