using Surge.SampleApi.Domain;
using Surge.SampleApi.Grpc.Invoices;

namespace Surge.SampleApi.Endpoints;

/// <summary>The invoices of the reference domain over REST, on the store the gRPC InvoiceService uses.</summary>
internal static class InvoiceEndpoints
{
    public static void MapInvoiceEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/invoices", (HttpRequest request, ReferenceDomain domain, CancellationToken cancellationToken) =>
            ProtoJson.CreateAsync<CreateInvoiceRequest, Invoice>(request, domain, "/invoices", domain.CreateInvoice, cancellationToken));
        app.MapPost("/invoices/import", ImportAsync);
        app.MapGet("/invoices/{id}", (string id, ReferenceDomain domain) => ProtoJson.Respond(domain.GetInvoice(id, ApiProtocol.Rest)));
        app.MapPost("/invoices/{id}/pay", (string id, HttpRequest request, ReferenceDomain domain, CancellationToken cancellationToken) =>
            ChangeAsync<PayInvoiceRequest>(id, request, domain, domain.PayInvoice, cancellationToken));
        app.MapPost("/invoices/{id}/cancel", (string id, HttpRequest request, ReferenceDomain domain, CancellationToken cancellationToken) =>
            ChangeAsync<CancelInvoiceRequest>(id, request, domain, domain.CancelInvoice, cancellationToken));
    }

    /// <summary>POST /invoices/import with a JSON array of invoices: all stored, or none (as the gRPC ImportInvoices stream).</summary>
    private static async Task<IResult> ImportAsync(HttpRequest request, ReferenceDomain domain, CancellationToken cancellationToken)
    {
        var input = await ProtoJson.ReadArrayAsync<CreateInvoiceRequest>(request, domain, cancellationToken);
        return input.Error is { } invalid ? ProtoJson.Refused(invalid) : ProtoJson.Respond(domain.ImportInvoices(input.Value!, ApiProtocol.Rest));
    }

    /// <summary>Pay or cancel: the body carries the version read (and amountCents or reason); the id comes from the path.</summary>
    private static async Task<IResult> ChangeAsync<T>(
        string id, HttpRequest request, ReferenceDomain domain, Func<T, ApiProtocol, Outcome<Invoice>> change, CancellationToken cancellationToken)
        where T : class, Google.Protobuf.IMessage<T>, new()
    {
        var input = await ProtoJson.ReadForPathAsync<T>(id, request, domain, cancellationToken);
        return input.Error is { } invalid ? ProtoJson.Refused(invalid) : ProtoJson.Respond(change(input.Value!, ApiProtocol.Rest));
    }
}
