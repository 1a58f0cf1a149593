using System.Text;
using Surge.Plans;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>
/// Reads a YAML test written with k6's option names into a validated <see cref="TestPlan"/>, ready for
/// <c>TestRun</c>. Every mistake in the file is a <see cref="PlanException"/> whose location is file:line:col.
/// </summary>
public static class YamlPlanLoader
{
    private const string DuplicateKeyPrefix = "Duplicate key ";

    /// <summary>
    /// Loads the test file at <paramref name="path"/>; data files and .proto files it names are found relative to it.
    /// A missing or unreadable file, or one over 4 MiB, is a <see cref="PlanException"/> too.
    /// </summary>
    /// <param name="path">The test file; errors name it as given.</param>
    /// <param name="settings">Choices made outside the file; null for none.</param>
    public static TestPlan Load(string path, YamlLoadSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string yaml;
        try
        {
            yaml = ReadBounded(path);
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

    /// <summary>Reads a test given as text, as if it were the file <paramref name="fileName"/>.</summary>
    /// <param name="yaml">The test's YAML text.</param>
    /// <param name="fileName">The name errors show, and the folder relative paths in the test start from.</param>
    /// <param name="settings">Choices made outside the file; null for none.</param>
    public static TestPlan Parse(string yaml, string fileName, YamlLoadSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(fileName);
        var source = new YamlSource(fileName);
        if (yaml.Length > YamlLimits.MaxFileBytes)
        {
            throw TooLarge(fileName);
        }
        var stream = new YamlStream();
        var parser = new BoundedParser(source, new StringReader(yaml));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            throw new PlanException(SyntaxMessage(ex), source.At(ex.Start));
        }
        catch (Exception ex) when (ex is not PlanException)
        {
            // YamlDotNet's scanner throws other exceptions on some malformed input (issue 10: an InvalidOperationException).
            throw new PlanException(
                "YAML syntax error: the YAML reader cannot go on from here; check the indentation, brackets and quotes on this line and the one before",
                source.At(parser.LastPosition));
        }
        return new PlanReader(source, settings ?? new YamlLoadSettings()).Read(stream);
    }

    // Reads no further than the limit, so that a huge file, a device or a pipe cannot exhaust memory.
    private static string ReadBounded(string path)
    {
        using var stream = File.OpenRead(path);
        if (stream.CanSeek && stream.Length > YamlLimits.MaxFileBytes)
        {
            throw TooLarge(path);
        }
        using var reader = new StreamReader(stream);
        var text = new StringBuilder();
        var chunk = new char[64 * 1024];
        int read;
        while ((read = reader.Read(chunk)) > 0)
        {
            if (text.Length + read > YamlLimits.MaxFileBytes)
            {
                throw TooLarge(path);
            }
            text.Append(chunk, 0, read);
        }
        return text.ToString();
    }

    private static PlanException TooLarge(string fileName) => new(
        $"the test file is larger than {YamlLimits.MaxFileBytes} bytes (the limit); split it into several tests, or repeat steps with loop:",
        new SourceLocation(fileName, 1, 1));

    private static string SyntaxMessage(YamlException ex) =>
        // The representation model reports a repeated mapping key as a plain YamlException with this text.
        ex.GetType() == typeof(YamlException) && ex.Message.StartsWith(DuplicateKeyPrefix, StringComparison.Ordinal)
            ? $"duplicate key '{ex.Message[DuplicateKeyPrefix.Length..]}'; a key may appear only once in a mapping"
            : $"YAML syntax error: {ex.Message}";
}
