using System.Globalization;
using Surge.Metrics;
using Surge.Plans;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>
/// Reads a scenario's `requests:` list into <see cref="RequestStep"/>s, resolving relative URLs, and
/// `- think: 2s` (or `1s-3s`) items into <see cref="ThinkStep"/>s.
/// </summary>
internal sealed partial class RequestReader(YamlSource source, string? baseUrl, IReadOnlyList<MetricDefinition> customMetrics)
{
    private static readonly string[] Keys = ["name", "method", "url", "headers", "body", "json", "expectedStatuses", "timeout", "tags", "httpVersion", "checks", "capture", "record", "cookies", "maxRedirects"];
    private static readonly string[] Verbs = ["get", "post", "put", "patch", "delete", "head"];
    private static readonly string[] CheckKeys = ["name", "status", "header", "jsonPath", "equals", "bodyContains", "bodyMatches", "duration"];
    private static readonly string[] CaptureKeys = ["var", "jsonPath", "regex", "group", "header", "ledger"];
    private static readonly string[] HttpVersions = ["1.1", "2"];
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
    private const string HeaderNameSymbols = "!#$%&'*+-.^_`|~";
    private const string JsonContentType = "application/json";

    // Aliases let a few lines repeat a list of steps many times, or include it in itself: both are counted here.
    private int _steps;
    private long _bodyChars;
    private int _nesting;

    public static bool IsHttpUrl(string text) => HttpOptions.TryParseHttpUrl(text, out _);

    public IReadOnlyList<Step> ReadAll(YamlScalarNode key, YamlNode node)
    {
        var items = source.Sequence(node, "requests", "- { method: GET, url: /items }");
        if (items.Count == 0)
        {
            throw source.Error(key, "requests is empty; add at least one request, e.g. - { method: GET, url: /items }");
        }
        if (++_nesting > YamlLimits.MaxStepNesting)
        {
            throw source.Error(key, $"steps are nested more than {YamlLimits.MaxStepNesting} levels deep in groups and loops (the limit); an alias (*name) inside the steps it names nests without end");
        }
        var steps = new List<Step>(items.Count);
        foreach (var item in items)
        {
            if (++_steps > YamlLimits.MaxSteps)
            {
                throw source.Error(item, $"the test has more than {YamlLimits.MaxSteps} steps (the limit), counting each repeat of an alias (*name); loop: repeats steps without writing them out");
            }
            steps.Add(Read(item));
        }
        _nesting--;
        return steps;
    }

    private Step Read(YamlNode node)
    {
        var map = source.Map(node, "a step");
        if (map.KeyNode("think") is not null)
        {
            map.AllowOnly(["think"]);
            return Think(map.Optional("think")!);
        }
        if (map.KeyNode("group") is { } groupKey)
        {
            map = source.Map(node, "a group");
            map.AllowOnly(["group", "steps"]);
            var groupName = source.Text(map.Optional("group")!, "group");
            return new GroupStep(groupName, Nested(map, groupKey, "group")) { Location = source.At(node) };
        }
        if (map.KeyNode("loop") is { } loopKey)
        {
            map = source.Map(node, "a loop");
            map.AllowOnly(["loop", "as", "steps"]);
            return Loop(map, loopKey, node);
        }
        if (map.KeyNode("ws") is not null)
        {
            return new WebSocketReader(source, this, baseUrl).Read(source.Map(node, "a WebSocket step"), node);
        }
        if (map.KeyNode("log") is not null)
        {
            map.AllowOnly(["log"]);
            return new LogStep(source.TextOrEmpty(map.Optional("log")!, "log")) { Location = source.At(map.Optional("log")!) };
        }
        if (map.KeyNode("grpc") is not null)
        {
            return Grpc(source.Map(node, "a grpc step"), node);
        }
        map = source.Map(node, "a request");
        var verb = Verbs.FirstOrDefault(v => map.KeyNode(v) is not null);
        map.AllowOnly(verb is null ? Keys : [.. Keys.Where(k => k is not ("method" or "url")), verb]);
        var headers = map.Optional("headers") is { } headersNode ? Headers(headersNode) : [];
        var body = Body(map, ref headers);
        _bodyChars += body?.Length ?? 0;
        if (_bodyChars > YamlLimits.MaxBodyChars)
        {
            throw source.Error(node, $"the request bodies of the test add up to more than {YamlLimits.MaxBodyChars} characters (the limit), counting each repeat of an alias (*name)");
        }
        return new RequestStep
        {
            Name = map.Optional("name") is { } name ? source.Text(name, "name") : null,
            Method = verb is not null ? verb.ToUpperInvariant() : map.Optional("method") is { } method ? Method(method) : "GET",
            Url = Url(verb is not null ? map.Optional(verb)! : map.Required("url", "write e.g. url: /items (or get: /items), or an absolute http(s) URL")),
            Checks = map.Optional("checks") is { } checks ? Checks(checks) : [],
            Captures = map.Optional("capture") is { } captures ? Captures(captures) : [],
            Records = map.Optional("record") is { } records ? Records(records) : [],
            Headers = headers,
            Cookies = map.Optional("cookies") is { } cookies ? Cookies(cookies) : [],
            MaxRedirects = map.Optional("maxRedirects") is { } maxRedirects ? MaxRedirects(source, maxRedirects) : null,
            Body = body,
            ExpectedStatuses = map.Optional("expectedStatuses") is { } statuses
                ? Statuses(statuses, map.KeyNode("expectedStatuses")!)
                : StatusRanges.Default,
            Timeout = map.Optional("timeout") is { } timeout ? source.Duration(timeout, "timeout", positive: true) : RequestStep.DefaultTimeout,
            Tags = map.Optional("tags") is { } tags ? source.StringMap(tags, "tags") : new Dictionary<string, string>(),
            HttpVersion = map.Optional("httpVersion") is { } version ? source.OneOf(version, "httpVersion", HttpVersions) : "1.1",
            Location = source.At(node),
        };
    }

    /// <summary>Top-level `verify:`: `- { ledger: orders, get: /orders, idField: id }`.</summary>
    public IReadOnlyList<VerifyPlan> ReadVerify(YamlNode node) =>
        [.. source.Sequence(node, "verify", "- { ledger: orders, get: /orders, idField: id }").Select(item =>
        {
            var map = source.Map(item, "a verify stage");
            map.AllowOnly(["ledger", "get", "idField", "headers", "records", "paging"]);
            var ledger = source.Text(map.Required("ledger", "name the ledger captures write to, e.g. ledger: orders"), "ledger");
            var request = new RequestStep
            {
                Method = "GET",
                Url = Url(map.Required("get", "say where the server lists its records, e.g. get: /orders")),
                Headers = map.Optional("headers") is { } headers ? Headers(headers) : [],
                Location = source.At(item),
            };
            var idField = map.Optional("idField") is { } field ? source.Text(field, "idField") : "id";
            return new VerifyPlan(ledger, request, idField)
            {
                Location = source.At(item),
                RecordsPath = map.Optional("records") is { } records ? JsonPathText(records) : null,
                Paging = map.Optional("paging") is { } paging ? Paging(paging) : VerifyPaging.LinkHeader,
            };
        })];

    /// <summary>`paging: { page: page, limit: limit, size: 100 }`, `{ offset: offset, ... }` or `{ next: $.next }`.</summary>
    private VerifyPaging Paging(YamlNode node)
    {
        var map = source.Map(node, "paging");
        var styles = map.Entries.Where(e => e.Key.Value is "page" or "offset" or "next").Select(e => e.Key).ToList();
        if (styles.Count != 1)
        {
            throw source.Error(styles.Count > 1 ? styles[1] : node,
                "paging takes exactly one of page, offset or next: { page: page, limit: limit, size: 100 }, { offset: offset, limit: limit, size: 100 } or { next: $.next }");
        }
        var paging = ReadPaging(map, styles[0].Value!);
        return paging.Problem() is { } problem ? throw source.Error(node, problem) : paging;
    }

    private VerifyPaging ReadPaging(YamlMap map, string style)
    {
        map.AllowOnly(style switch
        {
            "next" => ["next"],
            "page" => ["page", "limit", "size", "firstPage"],
            _ => ["offset", "limit", "size"],
        });
        if (style == "next")
        {
            return VerifyPaging.NextLink(JsonPathText(map.Optional("next")!));
        }
        var limit = map.Optional("limit") is { } limitNode ? source.Text(limitNode, "limit (the page size's query parameter)") : "limit";
        var size = map.Optional("size") is { } sizeNode ? source.Int(sizeNode, "size", 1) : VerifyPaging.DefaultSize;
        var parameter = source.Text(map.Optional(style)!, $"{style} (the query parameter's name)");
        return style == "page"
            ? VerifyPaging.PageNumber(parameter, limit, size, map.Optional("firstPage") is { } firstNode ? source.Int(firstNode, "firstPage", 0) : 1)
            : VerifyPaging.Offset(parameter, limit, size);
    }

    private IReadOnlyList<Step> Nested(YamlMap map, YamlScalarNode key, string what) =>
        ReadAll(key, map.Required("steps", $"a {what} needs steps: with at least one step"));

    private LoopStep Loop(YamlMap map, YamlScalarNode key, YamlNode node)
    {
        var value = map.Optional("loop")!;
        var steps = Nested(map, key, "loop");
        var variable = map.Optional("as") is { } name ? source.Text(name, "as") : "item";
        if (value is YamlSequenceNode)
        {
            var items = source.Sequence(value, "loop", "[a, b, c]").Select(item => source.Text(item, "a loop item")).ToList();
            return new LoopStep(steps) { Over = items, Variable = variable, Location = source.At(node) };
        }
        return new LoopStep(steps) { Count = source.Int(value, "loop (a count or a list)", 1), Variable = variable, Location = source.At(node) };
    }

    /// <summary>`checks:`; <paramref name="keys"/> narrows what a check may look at (a WebSocket message has no status or header).</summary>
    internal List<CheckPlan> Checks(YamlNode node, IReadOnlyList<string>? keys = null)
    {
        keys ??= CheckKeys;
        var checks = new List<CheckPlan>();
        foreach (var item in source.Sequence(node, "checks", keys.Contains("status") ? "- status: 200" : "- bodyContains: ok"))
        {
            var map = source.Map(item, "a check");
            map.AllowOnly(keys);
            var kind = keys.Skip(1).Where(k => k != "equals").FirstOrDefault(k => map.KeyNode(k) is not null)
                ?? throw source.Error(item, $"a check needs one of {string.Join(", ", keys.Skip(1).Where(k => k != "equals"))}");
            var value = map.Optional(kind)!;
            var expected = map.Optional("equals") is { } equals ? source.TextOrEmpty(equals, "equals") : null;
            var check = kind switch
            {
                "status" => new CheckPlan($"status is {Describe(value)}", CheckKind.Status) { Statuses = StatusesOf(value, map.KeyNode(kind)!) },
                "header" when _readingGrpc => throw source.Error(map.KeyNode(kind)!, "a grpc step's checks read status, jsonPath, bodyContains, bodyMatches or duration; the response's metadata is not checked"),
                "header" => new CheckPlan($"header {source.Text(value, "header")}" + (expected is null ? " exists" : $" is {expected}"), CheckKind.Header)
                    { Subject = source.Text(value, "header"), Expected = expected },
                "jsonPath" => new CheckPlan($"{source.Text(value, "jsonPath")}" + (expected is null ? " exists" : $" is {expected}"), CheckKind.JsonPath)
                    { Subject = JsonPathText(value), Expected = expected },
                "bodyContains" => new CheckPlan($"body contains {source.Text(value, "bodyContains")}", CheckKind.BodyContains) { Expected = source.Text(value, "bodyContains") },
                "bodyMatches" => new CheckPlan($"body matches {source.Text(value, "bodyMatches")}", CheckKind.BodyMatches) { Expected = RegexText(value) },
                _ => new CheckPlan($"duration < {source.Text(value, "duration")}", CheckKind.Duration) { MaxDuration = source.Duration(value, "duration", positive: true) },
            };
            checks.Add(check with
            {
                Name = map.Optional("name") is { } name ? source.Text(name, "name") : check.Name,
                Location = source.At(item),
            });
        }
        return checks;
    }

    private string Describe(YamlNode node) => node is YamlSequenceNode list
        ? string.Join(" or ", list.Children.Select(c => source.Text(c, "a status")))
        : source.Text(node, "status");

    private StatusRanges StatusesOf(YamlNode node, YamlNode key) =>
        _readingGrpc ? GrpcStatuses(node)
        : node is YamlSequenceNode ? Statuses(node, key) : Statuses(new YamlSequenceNode(node), key);

    internal string JsonPathText(YamlNode node)
    {
        var text = source.Text(node, "jsonPath");
        try
        {
            Surge.Json.JsonPath.Parse(text);
            return text;
        }
        catch (Surge.Json.JsonPathSyntaxException error)
        {
            throw new PlanException(error.Message, node is YamlScalarNode scalar ? source.At(scalar, error.Column) : source.At(node));
        }
    }

    internal string RegexText(YamlNode node)
    {
        var text = source.Text(node, "a regular expression");
        try
        {
            _ = new System.Text.RegularExpressions.Regex(text);
            return text;
        }
        catch (ArgumentException error)
        {
            throw source.Error(node, $"'{text}' is not a valid regular expression: {error.Message}");
        }
    }

    // `record: [ { metric: invoice_creation_success, status: 201 }, { metric: payment_processing_time, duration: true } ]`
    private List<RecordPlan> Records(YamlNode node)
    {
        var records = new List<RecordPlan>();
        foreach (var item in source.Sequence(node, "record", "- { metric: invoice_creation_success, status: 201 }"))
        {
            var map = source.Map(item, "a record");
            map.AllowOnly(["metric", "status", "duration", "jsonPath", "value"]);
            var nameNode = map.Required("metric", "name a metric declared under top-level metrics:");
            var name = source.Text(nameNode, "metric");
            var metric = customMetrics.FirstOrDefault(m => m.Name == name) ?? throw source.Error(nameNode, customMetrics.Count == 0
                ? $"metric '{name}' is not declared; add it under top-level metrics:, e.g. metrics: {{ {name}: rate }}"
                : Suggest.Unknown("metric", name, [.. customMetrics.Select(m => m.Name)]));
            var record = new RecordPlan(metric) { Location = source.At(item) };
            if (map.KeyNode("status") is { } statusKey)
            {
                record = metric.Kind is MetricKind.Rate or MetricKind.Counter
                    ? record with { PassWhenStatus = StatusesOf(map.Optional("status")!, statusKey) }
                    : throw source.Error(statusKey, $"status: passes or fails a rate, or counts into a counter; '{name}' is a {metric.Kind.ToString().ToLowerInvariant()}");
            }
            else if (map.Optional("duration") is { } duration && source.Boolean(duration, "duration"))
            {
                record = metric.Kind == MetricKind.Trend
                    ? record with { Duration = true }
                    : throw source.Error(duration, $"duration: records a time into a trend; '{name}' is a {metric.Kind.ToString().ToLowerInvariant()}");
            }
            else if (map.Optional("jsonPath") is { } path)
            {
                record = record with { JsonPath = JsonPathText(path) };
            }
            else
            {
                record = record with
                {
                    Value = map.Optional("value") is { } value ? Number(value) : null,
                };
            }
            records.Add(record);
        }
        return records;
    }

    private double Number(YamlNode node)
    {
        var text = source.Text(node, "value");
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw source.Error(node, $"value '{text}' is not a number");
    }

    /// <summary>`capture:`; <paramref name="keys"/> narrows where a capture may read from.</summary>
    internal List<CapturePlan> Captures(YamlNode node, IReadOnlyList<string>? keys = null)
    {
        var captures = new List<CapturePlan>();
        foreach (var item in source.Sequence(node, "capture", "- { var: token, jsonPath: $.token }"))
        {
            var map = source.Map(item, "a capture");
            map.AllowOnly(keys ?? CaptureKeys);
            var variable = source.Text(map.Required("var", "name the VU variable, e.g. var: token"), "var");
            CapturePlan capture;
            if (map.Optional("jsonPath") is { } path)
            {
                capture = new CapturePlan(variable, CaptureSource.JsonPath, JsonPathText(path));
            }
            else if (map.Optional("regex") is { } regex)
            {
                capture = new CapturePlan(variable, CaptureSource.Regex, RegexText(regex))
                {
                    Group = map.Optional("group") is { } group ? source.Int(group, "group", 0) : 1,
                };
            }
            else if (map.Optional("header") is { } header)
            {
                capture = new CapturePlan(variable, CaptureSource.Header, source.Text(header, "header"));
            }
            else
            {
                throw source.Error(item, "a capture reads from one of jsonPath, regex or header");
            }
            captures.Add(capture with
            {
                Ledger = map.Optional("ledger") is { } ledger ? source.Text(ledger, "ledger") : null,
                Location = source.At(item),
            });
        }
        return captures;
    }

    private ThinkStep Think(YamlNode node)
    {
        var text = source.Text(node, "think");
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var low = dash < 0 ? text : text[..dash].Trim();
        var high = dash < 0 ? text : text[(dash + 1)..].Trim();
        if (Durations.HasNoUnit(low) || Durations.HasNoUnit(high))
        {
            var bare = Durations.HasNoUnit(low) ? low : high;
            throw source.Error(node, Durations.NoUnit("think", bare) + (dash < 0 ? "" : $" (a range is written e.g. 1s-3s)"));
        }
        if (!Durations.TryParse(low, out var min) || !Durations.TryParse(high, out var max) || min < TimeSpan.Zero)
        {
            throw source.Error(node, $"think: '{text}' is not a duration or a range; write e.g. 2s, 500ms or 1s-3s");
        }
        return min <= max
            ? new ThinkStep(min, max) { Location = source.At(node) }
            : throw source.Error(node, $"think: the range '{text}' runs backwards; write the shorter duration first");
    }

    private string Method(YamlNode node)
    {
        var text = source.Text(node, "method");
        var method = text.ToUpperInvariant();
        return Methods.Contains(method) ? method : throw source.Error(node, Suggest.Unknown("method", text, Methods));
    }

    /// <summary>
    /// Text with a <c>{{ }}</c> hole, e.g. <c>{{ env("API_BASE_URL") }}</c>: its URL is known only when the run's
    /// environment is, and is checked when the steps are compiled, before any load.
    /// </summary>
    public static bool IsTemplated(string text) => text.Contains("{{", StringComparison.Ordinal);

    private string Url(YamlNode node)
    {
        var text = source.Text(node, "url");
        if (!text.StartsWith('/'))
        {
            return IsHttpUrl(text) || IsTemplated(text)
                ? text
                : throw source.Error(node, $"url '{text}' must be an absolute http(s) URL or a path starting with '/' (resolved against options.baseUrl)");
        }
        if (baseUrl is null)
        {
            throw source.Error(node, $"relative url '{text}' needs a base URL: set options.baseUrl (or --base-url), or write an absolute http(s) URL");
        }
        // Joined as text rather than by URI rules, so that a base URL with a path (http://host/api) keeps it.
        var url = baseUrl.TrimEnd('/') + text;
        return IsHttpUrl(url) || IsTemplated(url) ? url : throw source.Error(node, $"'{url}' (baseUrl + url) is not a valid URL");
    }

    internal List<KeyValuePair<string, string>> Headers(YamlNode node) => NamedValues(node, "headers", "header", value =>
        value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal)
            ? "must be one line; a line break would end the header"
            : null);

    // `headers:` or `cookies:`: names that are tokens, values that pass `problem` (which says what is wrong, or null).
    private List<KeyValuePair<string, string>> NamedValues(YamlNode node, string what, string singular, Func<string, string?> problem)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, valueNode) in source.Map(node, what).Entries)
        {
            var name = key.Value ?? "";
            if (!Http.MalformedRequest.IsToken(name))
            {
                throw source.Error(key, $"'{name}' is not a valid {singular} name: use letters, digits and {HeaderNameSymbols}");
            }
            var value = source.TextOrEmpty(valueNode, $"{singular} '{name}'");
            if (problem(value) is { } wrong)
            {
                throw source.Error(valueNode, $"{singular} '{name}' {wrong}");
            }
            pairs.Add(new(name, value));
        }
        return pairs;
    }

    /// <summary>Redirects followed, from 0 (return the 3xx) to 100; k6's default is 10.</summary>
    public static int MaxRedirects(YamlSource source, YamlNode node) => (int)source.WholeNumber(node, "maxRedirects", 0, 100);

    // `cookies: { session: abc, theme: "{{ theme }}" }`: sent as one Cookie header with this request only.
    private List<KeyValuePair<string, string>> Cookies(YamlNode node) => NamedValues(node, "cookies", "cookie", value =>
        value.AsSpan().ContainsAnyInRange('\0', '\u001f') || value.Contains(';', StringComparison.Ordinal)
            ? "must not hold ';' or a control character (a line break, a tab); it would split or end the Cookie header"
            : null);

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
        return JsonBody.Write(source, jsonKey, map.Optional("json")!);
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
