using Surge.Plans;
using YamlDotNet.RepresentationModel;

namespace Surge.Yaml;

/// <summary>
/// Reads a `ws:` step: the URL (ws://, wss://, or a path against options.baseUrl with http mapped to ws and https to
/// wss), the upgrade's headers and subprotocols, timeouts, and its `actions:` list of send, sendBinary, receive, ping,
/// sleep and close. Checks and captures of a receive read the message it stopped at, in the request steps' style.
/// </summary>
internal sealed class WebSocketReader(YamlSource source, RequestReader requests, string? baseUrl)
{
    private static readonly string[] Keys = ["ws", "name", "headers", "subprotocol", "timeout", "maxMessageBytes", "tags", "actions"];
    private static readonly string[] Actions = ["send", "sendBinary", "receive", "ping", "sleep", "close"];
    private static readonly string[] Matchers = ["contains", "equals", "regex", "jsonPath"];
    private static readonly string[] MessageCheckKeys = ["name", "jsonPath", "equals", "bodyContains", "bodyMatches", "duration"];
    private static readonly string[] MessageCaptureKeys = ["var", "jsonPath", "regex", "group", "ledger"];
    private const string ActionExample = "- send: hello, - receive: { contains: hello }, - ping, - sleep: 1s, - close";

    public WebSocketStep Read(YamlMap map, YamlNode node)
    {
        map.AllowOnly(Keys);
        var timeout = map.Optional("timeout") is { } timeoutNode ? source.Duration(timeoutNode, "timeout", positive: true) : WebSocketStep.DefaultTimeout;
        var actionsNode = map.Required("actions", $"list what the session does, e.g. {ActionExample}");
        var items = source.Sequence(actionsNode, "actions", ActionExample);
        if (items.Count == 0)
        {
            throw source.Error(map.KeyNode("actions")!, $"actions is empty; add at least one, e.g. {ActionExample}");
        }
        return new WebSocketStep
        {
            Url = Url(map.Optional("ws")!),
            Name = map.Optional("name") is { } name ? source.Text(name, "name") : null,
            Headers = map.Optional("headers") is { } headers ? requests.Headers(headers) : [],
            Subprotocols = map.Optional("subprotocol") is { } subprotocol ? Subprotocols(subprotocol) : [],
            ConnectTimeout = timeout,
            ReceiveTimeout = timeout,
            MaxMessageBytes = map.Optional("maxMessageBytes") is { } max ? source.Int(max, "maxMessageBytes", 1) : WebSocketStep.DefaultMaxMessageBytes,
            Tags = map.Optional("tags") is { } tags ? source.StringMap(tags, "tags") : new Dictionary<string, string>(),
            Actions = [.. items.Select(Action)],
            Location = source.At(node),
        };
    }

    private string Url(YamlNode node)
    {
        var text = source.Text(node, "ws");
        if (RequestReader.IsTemplated(text))
        {
            return text;
        }
        if (!text.StartsWith('/'))
        {
            return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "ws" or "wss"
                ? text
                : throw source.Error(node, $"ws '{text}' must be a ws:// or wss:// URL, or a path starting with '/' (resolved against options.baseUrl, http becoming ws and https wss)");
        }
        if (baseUrl is null)
        {
            throw source.Error(node, $"relative ws '{text}' needs a base URL: set options.baseUrl (or --base-url), or write a ws:// or wss:// URL");
        }
        // As for requests, joined as text so that a base URL's path is kept; the scheme maps http -> ws, https -> wss.
        var joined = baseUrl.TrimEnd('/') + text;
        if (RequestReader.IsTemplated(joined))
        {
            return joined;
        }
        return Uri.TryCreate(joined, UriKind.Absolute, out var http) && http.Scheme is "http" or "https"
            ? (http.Scheme == "https" ? "wss" : "ws") + joined[http.Scheme.Length..]
            : throw source.Error(node, $"'{joined}' (baseUrl + ws) is not a valid URL");
    }

    private List<string> Subprotocols(YamlNode node)
    {
        var names = node is YamlSequenceNode ? source.Sequence(node, "subprotocol", "[chat.v2, chat.v1]") : [node];
        return [.. names.Select(item =>
        {
            var name = source.Text(item, "subprotocol");
            return Http.MalformedRequest.IsToken(name)
                ? name
                : throw source.Error(item, $"subprotocol '{name}' is not a valid name: use letters, digits and !#$%&'*+-.^_`|~");
        })];
    }

    private WebSocketAction Action(YamlNode node)
    {
        // `- ping` and `- close` need no value.
        if (node is YamlScalarNode { Value: "ping" or "close" } bare && !YamlSource.IsQuoted(bare))
        {
            return bare.Value == "ping" ? new WebSocketPing { Location = source.At(node) } : new WebSocketClose { Location = source.At(node) };
        }
        var map = source.Map(node, "a WebSocket action");
        var kinds = map.Entries.Where(e => Actions.Contains(e.Key.Value)).Select(e => e.Key).ToList();
        if (kinds.Count != 1)
        {
            throw kinds.Count == 0 && map.Entries.Count > 0
                ? source.Error(map.Entries[0].Key, Suggest.Unknown("WebSocket action", map.Entries[0].Key.Value ?? "", Actions))
                : source.Error(kinds.Count > 1 ? kinds[1] : node, $"an action does one thing: one of {string.Join(", ", Actions)}");
        }
        var kind = kinds[0].Value!;
        var value = map.Optional(kind)!;
        var at = source.At(node);
        switch (kind)
        {
            case "send":
                map.AllowOnly(["send"]);
                return new WebSocketSend { Text = source.TextOrEmpty(value, "send"), Location = at };
            case "sendBinary":
                map.AllowOnly(["sendBinary"]);
                return new WebSocketSend { Binary = Base64(value), Location = at };
            case "receive":
                map.AllowOnly(["receive", "timeout", "checks", "capture"]);
                return new WebSocketReceive(Match(value))
                {
                    Timeout = map.Optional("timeout") is { } timeout ? source.Duration(timeout, "timeout", positive: true) : null,
                    Checks = map.Optional("checks") is { } checks ? requests.Checks(checks, MessageCheckKeys) : [],
                    Captures = map.Optional("capture") is { } captures ? requests.Captures(captures, MessageCaptureKeys) : [],
                    Location = at,
                };
            case "ping":
                map.AllowOnly(["ping"]);
                return new WebSocketPing { Timeout = YamlSource.IsNull(value) ? null : PingTimeout(value), Location = at };
            case "sleep":
                map.AllowOnly(["sleep"]);
                return new WebSocketSleep(source.Duration(value, "sleep")) { Location = at };
            default:
                map.AllowOnly(["close"]);
                return new WebSocketClose { Status = YamlSource.IsNull(value) ? 1000 : CloseStatus(value), Location = at };
        }
    }

    // `ping: { timeout: 2s }`
    private TimeSpan PingTimeout(YamlNode node)
    {
        var map = source.Map(node, "ping");
        map.AllowOnly(["timeout"]);
        return source.Duration(map.Required("timeout", "write e.g. ping: { timeout: 2s }"), "timeout", positive: true);
    }

    // RFC 6455: 1000 (normal) and the application range 3000-4999 are the codes a client may send.
    private int CloseStatus(YamlNode node)
    {
        var status = (int)source.WholeNumber(node, "close (a status code)", 1000, 4999);
        return status == 1000 || status >= 3000
            ? status
            : throw source.Error(node, $"close status {status} is reserved; use 1000 (normal) or an application code from 3000 to 4999");
    }

    private byte[] Base64(YamlNode node)
    {
        var text = source.TextOrEmpty(node, "sendBinary (base64)");
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            throw source.Error(node, $"sendBinary '{Shorten(text)}' is not base64; write the bytes as base64, e.g. sendBinary: aGVsbG8=");
        }
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "...";

    // `receive: any`, `receive: {}`, or one of `{ contains: x }`, `{ equals: x }`, `{ regex: x }`, `{ jsonPath: $.a, equals: x }`.
    private WebSocketMatch Match(YamlNode node)
    {
        if (YamlSource.IsNull(node) || node is YamlScalarNode { Value: "any" })
        {
            return WebSocketMatch.Any;
        }
        var map = source.Map(node, "receive");
        map.AllowOnly(Matchers);
        if (map.Optional("jsonPath") is { } path)
        {
            return new WebSocketMatch(WebSocketMatchKind.JsonPath, map.Optional("equals") is { } equals ? source.TextOrEmpty(equals, "equals") : null, requests.JsonPathText(path));
        }
        if (map.Entries.Count == 0)
        {
            return WebSocketMatch.Any;
        }
        if (map.Entries.Count > 1)
        {
            throw source.Error(map.Entries[1].Key, "receive takes one matcher: contains, equals, regex, or jsonPath (with equals)");
        }
        var (key, value) = map.Entries[0];
        return key.Value switch
        {
            "contains" => new WebSocketMatch(WebSocketMatchKind.Contains, source.Text(value, "contains")),
            "equals" => new WebSocketMatch(WebSocketMatchKind.Equals, source.TextOrEmpty(value, "equals")),
            _ => new WebSocketMatch(WebSocketMatchKind.Regex, requests.RegexText(value)),
        };
    }
}
