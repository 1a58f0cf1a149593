using System.Globalization;
using System.Text.Json;
using Surge.Http;
using Surge.Http.Http1;
using Surge.Json;
using Surge.Plans;
using Surge.Results;

namespace Surge.Engine;

/// <summary>
/// Runs a verify stage: reads the server's records (a JSON array, page after page when the list is paged) and
/// compares their ids with the ledger of acknowledged writes. Plain set arithmetic on both lists, so every number in
/// the result can be checked by hand.
/// </summary>
internal static class IntegrityVerifier
{
    /// <summary>A server that never stops handing out pages must not keep the run from ending.</summary>
    public const int MaxPages = 100_000;

    public static async Task<IntegrityResult> VerifyAsync(VerifyPlan plan, IReadOnlyCollection<string> acknowledged, HttpOptions options,
        CancellationToken cancellationToken)
    {
        var onServer = new List<string>();
        var error = await ReadAllPagesAsync(plan, options, onServer, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return IntegrityResult.Failed(plan.Ledger, acknowledged.Count, error);
        }
        var serverIds = onServer.ToHashSet(StringComparer.Ordinal);
        var acknowledgedIds = acknowledged.ToHashSet(StringComparer.Ordinal);
        return new IntegrityResult(plan.Ledger)
        {
            Acknowledged = acknowledged.Count,
            OnServer = onServer.Count,
            DuplicatesAcknowledged = acknowledged.Count - acknowledgedIds.Count,
            DuplicatesOnServer = onServer.Count - serverIds.Count,
            Missing = acknowledgedIds.Count(id => !serverIds.Contains(id)),
        };
    }

    /// <summary>Adds every page's ids to <paramref name="ids"/>; returns why the list could not be read, or null.</summary>
    private static async Task<string?> ReadAllPagesAsync(VerifyPlan plan, HttpOptions options, List<string> ids, CancellationToken cancellationToken)
    {
        if (MalformedRequest.Find(plan.Request.Method, plan.Request.Url, plan.Request.Headers) is { } malformed)
        {
            return $"GET {plan.Request.Url} for the server's records was not sent: {malformed}";
        }
        using var watchdog = new RequestWatchdog();
        using var connections = new PerVuConnections();
        using var client = new Http1Client(connections, options, watchdog);
        var response = new HttpResponseBuffer(maxBodyBytes: 256 * 1024 * 1024);
        var paging = plan.Paging;
        var records = plan.RecordsPath is null ? null : JsonPath.Parse(plan.RecordsPath);
        var nextPath = paging.NextPath is null ? null : JsonPath.Parse(paging.NextPath);
        var first = options.Resolve(plan.Request.Url, plan.Location);
        var queried = paging.Style is VerifyPagingStyle.PageNumber or VerifyPagingStyle.Offset;
        var uri = queried ? WithPage(first, paging, paging.Style == VerifyPagingStyle.PageNumber ? paging.FirstPage : 0) : first;
        List<string> previous = [];
        var visited = new HashSet<Uri> { uri };
        for (var page = 1; ; page++)
        {
            var where = page == 1 ? $"GET {uri}" : $"GET {uri} (page {page})";
            if (page > MaxPages)
            {
                return $"{where}: gave up after {MaxPages} pages; the list never ended";
            }
            var request = new HttpRequest(plan.Request.Method, uri, plan.Request.Headers, plan.Request.Body, plan.Request.Timeout);
            var timings = await client.SendAsync(request, response, cancellationToken).ConfigureAwait(false);
            // Some APIs (Django REST framework among them) answer a page past the last with 404.
            if (queried && page > 1 && timings.Error is null && timings.Status == 404)
            {
                return null;
            }
            if (timings.Error is not null || timings.Status is < 200 or >= 300)
            {
                return $"{where} for the server's records failed: {timings.Error ?? $"status {timings.Status}"}";
            }
            if (ReadIds(response.Body, records, plan.IdField, out var pageIds) is { } problem)
            {
                return $"{where} {problem}";
            }
            ids.AddRange(pageIds);
            string? next;
            switch (paging.Style)
            {
                case VerifyPagingStyle.PageNumber or VerifyPagingStyle.Offset:
                    if (pageIds.Count == 0)
                    {
                        return null;
                    }
                    // A page that repeats the one before: on page 2 the server ignores the page parameter; later, it
                    // answers every page past the last with the last one (some APIs clamp), which ends the list.
                    if (previous.SequenceEqual(pageIds, StringComparer.Ordinal))
                    {
                        ids.RemoveRange(ids.Count - pageIds.Count, pageIds.Count);
                        return page > 2 ? null
                            : $"{where} repeated page 1: does the server read the '{paging.Parameter}' query parameter?";
                    }
                    previous = pageIds;
                    uri = WithPage(first, paging, paging.Style == VerifyPagingStyle.PageNumber ? paging.FirstPage + page : ids.Count);
                    continue;
                case VerifyPagingStyle.NextLink:
                    next = nextPath!.Evaluate(response.Body, out var value) == JsonPathOutcome.Found && value.Kind == JsonValueKind.String ? value.Text : null;
                    break;
                default:
                    next = NextFromLinkHeader(response.Header("Link"));
                    break;
            }
            if (string.IsNullOrEmpty(next))
            {
                return null;
            }
            if (!Uri.TryCreate(uri, next, out var nextUri) || (nextUri.Scheme != Uri.UriSchemeHttp && nextUri.Scheme != Uri.UriSchemeHttps))
            {
                return $"{where} gave '{next}' as the next page, which is not an http(s) URL";
            }
            if (!visited.Add(nextUri))
            {
                return $"{where} gave {nextUri} as the next page, which was read before: the pages go round in a circle";
            }
            uri = nextUri;
        }
    }

    /// <summary>The page's ids, or why the body is not a list of records with the id field.</summary>
    private static string? ReadIds(ReadOnlyMemory<byte> body, JsonPath? records, string field, out List<string> ids)
    {
        ids = [];
        try
        {
            if (records is not null)
            {
                var outcome = records.Evaluate(body, out var array);
                if (outcome != JsonPathOutcome.Found || array.Kind != JsonValueKind.Array)
                {
                    return outcome == JsonPathOutcome.NotJson ? "did not return JSON" : $"returned no array at {records.Text}";
                }
                return ReadIds(JsonDocument.Parse(array.Text), records.Text, field, ids);
            }
            return ReadIds(JsonDocument.Parse(body), null, field, ids);
        }
        catch (JsonException)
        {
            return "did not return JSON";
        }
    }

    private static string? ReadIds(JsonDocument document, string? recordsPath, string field, List<string> ids)
    {
        using (document)
        {
            var list = document.RootElement;
            if (list.ValueKind != JsonValueKind.Array)
            {
                return list.ValueKind == JsonValueKind.Object
                    ? "returned a JSON object, not an array of records; if the records are in one of its fields, name it, e.g. records: $.items"
                    : "did not return a JSON array of records";
            }
            foreach (var element in list.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(field, out var id))
                {
                    return $"returned a record without '{field}' in {recordsPath ?? "its array"} (set idField to the field that holds the id)";
                }
                ids.Add(id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText());
            }
            return null;
        }
    }

    /// <summary>The target of the link with rel="next" in a Link header (RFC 8288), or null.</summary>
    internal static string? NextFromLinkHeader(string? header)
    {
        for (var rest = header.AsSpan(); ;)
        {
            var open = rest.IndexOf('<');
            var close = open < 0 ? -1 : rest[open..].IndexOf('>');
            if (close < 0)
            {
                return null;
            }
            var target = rest.Slice(open + 1, close - 1);
            rest = rest[(open + close + 1)..];
            var end = rest.IndexOf('<');
            if (IsNextRelation(end < 0 ? rest : rest[..end]))
            {
                return target.Trim().ToString();
            }
        }
    }

    /// <summary>Whether a link's parameters (`; rel="next last"; title=...`) name the next relation.</summary>
    private static bool IsNextRelation(ReadOnlySpan<char> parameters)
    {
        foreach (var range in parameters.Split(';'))
        {
            var parameter = parameters[range].Trim();
            var equals = parameter.IndexOf('=');
            if (equals < 0 || !parameter[..equals].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var value = parameter[(equals + 1)..].Trim().TrimEnd(',').Trim().Trim('"');
            foreach (var relation in value.Split(' '))
            {
                if (value[relation].Equals("next", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }
        return false;
    }

    /// <summary>The list URL with the page (or offset) and size parameters set, replacing any it already had.</summary>
    private static Uri WithPage(Uri list, VerifyPaging paging, int position)
    {
        var set = new List<(string Name, string Value)> { (paging.Parameter!, position.ToString(CultureInfo.InvariantCulture)) };
        if (paging.LimitParameter is not null)
        {
            set.Add((paging.LimitParameter, paging.Size.ToString(CultureInfo.InvariantCulture)));
        }
        var kept = list.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => !set.Any(s => Uri.UnescapeDataString(pair.Split('=')[0]) == s.Name));
        var query = string.Join('&', kept.Concat(set.Select(s => $"{Uri.EscapeDataString(s.Name)}={Uri.EscapeDataString(s.Value)}")));
        return new UriBuilder(list) { Query = query }.Uri;
    }
}
