using Surge.Plans;

namespace Surge.Cli;

/// <summary>What a quick-mode request sends besides its URL, from hey-like flags: -m, -H (repeatable), --body, -T.</summary>
public sealed record QuickRequest(string Method, IReadOnlyList<string> Headers, string? Body, string? ContentType)
{
    public static QuickRequest Get { get; } = new("GET", [], null, null);
}

/// <summary>`surge run URL`: one request against one URL, like hey or ab, without a file.</summary>
public static class QuickPlan
{
    public static bool IsUrl(string target) =>
        target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    public static TestPlan For(string url, QuickRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new PlanException($"'{url}' is not an http(s) URL");
        }
        var headers = request.Headers.Select(Header).ToList();
        if (request.ContentType is { } contentType)
        {
            headers.Add(Header($"Content-Type: {contentType}"));
        }
        return new TestPlan
        {
            Source = url,
            Scenarios =
            [
                new ScenarioPlan
                {
                    Name = "default",
                    Executor = new ConstantVusExecutor(1, TimeSpan.FromSeconds(10)),
                    Steps = [new RequestStep { Method = request.Method, Url = uri.ToString(), Name = uri.AbsolutePath, Headers = headers, Body = request.Body }],
                },
            ],
        };
    }

    // `-H 'Name: value'`, as curl and hey write it; a line break could smuggle a header or a request onto the wire.
    private static KeyValuePair<string, string> Header(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = colon > 0 ? text[..colon].Trim() : "";
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal)))
        {
            throw new PlanException($"-H '{text}' is not a header; write -H 'Name: value'");
        }
        var value = text[(colon + 1)..].Trim();
        if (value.Any(c => c is '\r' or '\n' or '\0'))
        {
            throw new PlanException($"-H '{name}': the value holds a line break or NUL, which would smuggle another header onto the wire");
        }
        return new(name, value);
    }
}
