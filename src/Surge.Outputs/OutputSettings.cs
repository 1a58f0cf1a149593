using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Surge.Plans;

namespace Surge.Outputs;

/// <summary>
/// Reads an output's settings from the environment under k6's variable names (K6_PROMETHEUS_RW_*, K6_INFLUXDB_*),
/// turning every bad value into an invalid-test error that names the variable, before any load.
/// </summary>
internal sealed class OutputSettings(string output, IReadOnlyDictionary<string, string> environment)
{
    public IReadOnlyDictionary<string, string> Environment { get; } = environment;

    public string? Text(string name) =>
        Environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public TimeSpan Duration(string name, TimeSpan fallback)
    {
        if (Text(name) is not { } text)
        {
            return fallback;
        }
        return Durations.TryParse(text, out var value) && value > TimeSpan.Zero
            ? value
            : throw Invalid(name, text, "a positive duration such as 5s or 500ms");
    }

    public bool Flag(string name) => Text(name) switch
    {
        null => false,
        { } text when bool.TryParse(text, out var value) => value,
        { } text => throw Invalid(name, text, "true or false"),
    };

    public IReadOnlyList<string> List(string name, string fallback) =>
        [.. (Text(name) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    public Uri HttpUrl(string name, string text)
    {
        return HttpOptions.TryParseHttpUrl(text, out var url) && !string.IsNullOrEmpty(url.Host)
            ? url
            : throw new PlanException($"-o {output}: {name} '{text}' is not an absolute http(s) URL");
    }

    public PlanException Invalid(string name, string text, string expected) =>
        new($"-o {output}: {name}='{text}' is not valid; expected {expected}");

    /// <summary>Basic authentication from USERNAME/PASSWORD variables, or null when neither is set.</summary>
    public AuthenticationHeaderValue? BasicAuth(string userVariable, string passwordVariable) =>
        Text(userVariable) is null && Text(passwordVariable) is null
            ? null
            : new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Text(userVariable)}:{Text(passwordVariable)}")));

    public static string Invariant(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
