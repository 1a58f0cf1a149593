namespace Surge.Yaml;

/// <summary>
/// Bounds on what a test file may make the reader build, so that a hostile or generated file ends in an error
/// naming the bound instead of exhausting memory or the stack. Each is far above any hand-written test.
/// </summary>
internal static class YamlLimits
{
    /// <summary>The largest test file read, in bytes (characters for text given directly).</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>Values (scalars, mappings and lists) written in the file; the parsed tree costs memory per value.</summary>
    public const int MaxValues = 150_000;

    /// <summary>How deep mappings and lists may nest in the file.</summary>
    public const int MaxNesting = 100;

    /// <summary>How deep groups and loops may nest steps inside steps.</summary>
    public const int MaxStepNesting = 32;

    /// <summary>Steps in the whole file, counting each time an alias repeats one.</summary>
    public const int MaxSteps = 20_000;

    /// <summary>Values one json: body may expand to, counting each time an alias repeats one.</summary>
    public const int MaxJsonValues = 1_000_000;

    /// <summary>Characters all request bodies of the file may add up to, counting each time an alias repeats one.</summary>
    public const long MaxBodyChars = 64 * 1024 * 1024;

    /// <summary>Bytes one json: body may expand to.</summary>
    public const int MaxJsonBytes = 16 * 1024 * 1024;
}
