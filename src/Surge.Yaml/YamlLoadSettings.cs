namespace Surge.Yaml;

/// <summary>Choices made outside the test file.</summary>
/// <param name="BaseUrl">Replaces the file's options.baseUrl (the CLI's --base-url).</param>
public sealed record YamlLoadSettings(string? BaseUrl = null);
