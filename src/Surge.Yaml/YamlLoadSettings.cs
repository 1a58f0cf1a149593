namespace Surge.Yaml;

/// <summary>Choices made outside the test file when loading it, as the CLI's options make them.</summary>
/// <param name="BaseUrl">
/// Replaces the file's <c>options.baseUrl</c>, as <c>--base-url</c> does: an absolute http(s) URL or a
/// <c>{{ env("NAME") }}</c> template; null keeps the file's own.
/// </param>
public sealed record YamlLoadSettings(string? BaseUrl = null);
