using System.Text.Json;
using Surge.Http;
using Surge.Http.Http1;
using Surge.Plans;
using Surge.Results;

namespace Surge.Engine;

/// <summary>
/// Runs a verify stage: reads the server's records (a JSON array) and compares their ids with the ledger of
/// acknowledged writes. Plain set arithmetic on both lists, so every number in the result can be checked by hand.
/// </summary>
public static class IntegrityVerifier
{
    public static async Task<IntegrityResult> VerifyAsync(VerifyPlan plan, IReadOnlyCollection<string> acknowledged, HttpOptions options,
        CancellationToken cancellationToken)
    {
        using var watchdog = new RequestWatchdog();
        using var connections = new PerVuConnections();
        using var client = new Http1Client(connections, options, watchdog);
        if (!HttpRequest.TryCreate(plan.Request.Method, plan.Request.Url, options, plan.Request.Headers, plan.Request.Body, plan.Request.Timeout,
            out var request, out var malformed))
        {
            return IntegrityResult.Failed(plan.Ledger, acknowledged.Count, $"GET {plan.Request.Url} for the server's records was not sent: {malformed}");
        }
        var response = new HttpResponseBuffer(maxBodyBytes: 256 * 1024 * 1024);
        var timings = await client.SendAsync(request, response, cancellationToken).ConfigureAwait(false);
        if (timings.Error is not null || timings.Status is < 200 or >= 300)
        {
            return IntegrityResult.Failed(plan.Ledger, acknowledged.Count,
                $"GET {plan.Request.Url} for the server's records failed: {timings.Error ?? $"status {timings.Status}"}");
        }
        if (ReadIds(response.Body, plan.IdField) is not { } onServer)
        {
            return IntegrityResult.Failed(plan.Ledger, acknowledged.Count,
                $"{plan.Request.Url} did not return a JSON array of objects with '{plan.IdField}'");
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

    private static List<string>? ReadIds(ReadOnlyMemory<byte> body, string field)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }
            var ids = new List<string>();
            foreach (var element in document.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(field, out var id))
                {
                    return null;
                }
                ids.Add(id.ValueKind == JsonValueKind.String ? id.GetString()! : id.GetRawText());
            }
            return ids;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
