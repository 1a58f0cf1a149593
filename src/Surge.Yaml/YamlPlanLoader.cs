using Surge.Plans;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>Reads a YAML test written with k6's option names into a validated <see cref="TestPlan"/>.</summary>
public static class YamlPlanLoader
{
    private const string DuplicateKeyPrefix = "Duplicate key ";

    public static TestPlan Load(string path, YamlLoadSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new PlanException($"test file '{path}' does not exist");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new PlanException($"cannot read test file '{path}': {ex.Message}");
        }
        return Parse(yaml, path, settings);
    }

    public static TestPlan Parse(string yaml, string fileName, YamlLoadSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        var source = new YamlSource(fileName);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new PlanException(SyntaxMessage(ex), source.At(ex.Start));
        }
        return new PlanReader(source, settings ?? new YamlLoadSettings()).Read(stream);
    }

    private static string SyntaxMessage(YamlException ex) =>
        // The representation model reports a repeated mapping key as a plain YamlException with this text.
        ex.GetType() == typeof(YamlException) && ex.Message.StartsWith(DuplicateKeyPrefix, StringComparison.Ordinal)
            ? $"duplicate key '{ex.Message[DuplicateKeyPrefix.Length..]}'; a key may appear only once in a mapping"
            : $"YAML syntax error: {ex.Message}";
}
