using System.Globalization;
using Surge.Plans;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>
/// Reads a scenario's `requests:` list into <see cref="RequestStep"/>s, resolving relative URLs, and
/// `- think: 2s` (or `1s-3s`) items into <see cref="ThinkStep"/>s.
/// </summary>
internal sealed class RequestReader(YamlSource source, string? baseUrl)
{
    private static readonly string[] Keys = ["name", "method", "url", "headers", "body", "json", "expectedStatuses", "timeout", "tags", "httpVersion"];
    private static readonly string[] HttpVersions = ["1.1", "2"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    private const string HeaderNameSymbols = "!#$%&'*+-.^_`|~";
    private const string JsonContentType = "application/json";

    public static bool IsHttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    public IReadOnlyList<Step> ReadAll(YamlScalarNode key, YamlNode node)
    {
        var items = source.Sequence(node, "requests", "- { method: GET, url: /items }");
        if (items.Count == 0)
        {
            throw source.Error(key, "requests is empty; add at least one request, e.g. - { method: GET, url: /items }");
        }
        return [.. items.Select(Read)];
    }

    private Step Read(YamlNode node)
    {
        var map = source.Map(node, "a request");
        if (map.KeyNode("think") is not null)
        {
            map.AllowOnly(["think"]);
            return Think(map.Optional("think")!);
        }
        map.AllowOnly(Keys);
        var headers = map.Optional("headers") is { } headersNode ? Headers(headersNode) : [];
        var body = Body(map, ref headers);
        return new RequestStep
        {
            Name = map.Optional("name") is { } name ? source.Text(name, "name") : null,
            Method = map.Optional("method") is { } method ? Method(method) : "GET",
            Url = Url(map.Required("url", "write e.g. url: /items, or an absolute http(s) URL")),
            Headers = headers,
            Body = body,
            ExpectedStatuses = map.Optional("expectedStatuses") is { } statuses
                ? Statuses(statuses, map.KeyNode("expectedStatuses")!)
                : StatusRanges.Default,
            Timeout = map.Optional("timeout") is { } timeout ? source.Duration(timeout, "timeout", positive: true) : TimeSpan.FromSeconds(60),
            Tags = map.Optional("tags") is { } tags ? source.StringMap(tags, "tags") : new Dictionary<string, string>(),
            HttpVersion = map.Optional("httpVersion") is { } version ? HttpVersion(version) : "1.1",
            Location = source.At(node),
        };
    }

    private ThinkStep Think(YamlNode node)
    {
        var text = source.Text(node, "think");
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var low = dash < 0 ? text : text[..dash].Trim();
        var high = dash < 0 ? text : text[(dash + 1)..].Trim();
        if (!Durations.TryParse(low, out var min) || !Durations.TryParse(high, out var max) || min < TimeSpan.Zero)
        {
            throw source.Error(node, $"think: '{text}' is not a duration or a range; write e.g. 2s, 500ms or 1s-3s");
        }
        return min <= max
            ? new ThinkStep(min, max) { Location = source.At(node) }
            : throw source.Error(node, $"think: the range '{text}' runs backwards; write the shorter duration first");
    }

    private string HttpVersion(YamlNode node)
    {
        var text = source.Text(node, "httpVersion");
        return HttpVersions.Contains(text) ? text : throw source.Error(node, Suggest.Unknown("httpVersion", text, HttpVersions));
    }

    private string Method(YamlNode node)
    {
        var text = source.Text(node, "method");
        var method = text.ToUpperInvariant();
        return Methods.Contains(method) ? method : throw source.Error(node, Suggest.Unknown("method", text, Methods));
    }

    private string Url(YamlNode node)
    {
        var text = source.Text(node, "url");
        if (!text.StartsWith('/'))
        {
            return IsHttpUrl(text)
                ? text
                : throw source.Error(node, $"url '{text}' must be an absolute http(s) URL or a path starting with '/' (resolved against options.baseUrl)");
        }
        if (baseUrl is null)
        {
            throw source.Error(node, $"relative url '{text}' needs a base URL: set options.baseUrl (or --base-url), or write an absolute http(s) URL");
        }
        // Joined as text rather than by URI rules, so that a base URL with a path (http://host/api) keeps it.
        var url = baseUrl.TrimEnd('/') + text;
        return IsHttpUrl(url) ? url : throw source.Error(node, $"'{url}' (baseUrl + url) is not a valid URL");
    }

    private List<KeyValuePair<string, string>> Headers(YamlNode node)
    {
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var (key, valueNode) in source.Map(node, "headers").Entries)
        {
            var name = key.Value ?? "";
            if (!name.All(c => char.IsAsciiLetterOrDigit(c) || HeaderNameSymbols.Contains(c)))
            {
                throw source.Error(key, $"'{name}' is not a valid header name: use letters, digits and {HeaderNameSymbols}");
            }
            var value = source.TextOrEmpty(valueNode, $"header '{name}'");
            if (value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
            {
                throw source.Error(valueNode, $"header '{name}' must be one line; a line break would end the header");
            }
            headers.Add(new(name, value));
        }
        return headers;
    }

    /// <summary>The raw `body`, or `json` serialized, which also sets Content-Type unless a header already does.</summary>
    private string? Body(YamlMap map, ref List<KeyValuePair<string, string>> headers)
    {
        var bodyKey = map.KeyNode("body");
        var jsonKey = map.KeyNode("json");
        if (bodyKey is not null && jsonKey is not null)
        {
            var later = bodyKey.Start.CompareTo(jsonKey.Start) > 0 ? bodyKey : jsonKey;
            throw source.Error(later, "a request takes either body (raw text) or json, not both");
        }
        if (bodyKey is not null)
        {
            return source.TextOrEmpty(map.Optional("body")!, "body (raw text; use json: for structured bodies)");
        }
        if (jsonKey is null)
        {
            return null;
        }
        if (!headers.Any(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers = [.. headers, new("Content-Type", JsonContentType)];
        }
        return JsonBody.Write(source, map.Optional("json")!);
    }

    private StatusRanges Statuses(YamlNode node, YamlNode key)
    {
        var items = source.Sequence(node, "expectedStatuses", "[200, 201, \"300-399\"]");
        if (items.Count == 0)
        {
            throw source.Error(key, "expectedStatuses needs at least one status or range, e.g. [200, \"300-399\"]");
        }
        var ranges = new List<(int Min, int Max)>(items.Count);
        foreach (var item in items)
        {
            var text = source.Text(item, "an expected status");
            var parts = text.Split('-');
            if (parts.Length > 2 || !TryStatus(parts[0], out var min) || !TryStatus(parts[^1], out var max) || min > max)
            {
                throw source.Error(item, $"'{text}' is not a status or a range: write e.g. 200 or \"300-399\", with statuses from 100 to 599");
            }
            ranges.Add((min, max));
        }
        return new StatusRanges(ranges);
    }

    private static bool TryStatus(string text, out int status) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out status) && status is >= 100 and <= 599;
}
