using Grpc.Core;
using Surge.SampleApi.Domain;
using Surge.SampleApi.Grpc.Invoices;

namespace Surge.SampleApi.Services;

internal sealed class InvoiceGrpcService(ReferenceDomain domain) : InvoiceService.InvoiceServiceBase
{
    /// <summary>More invoices than this in one import is RESOURCE_EXHAUSTED: the server holds them all before storing any.</summary>
    private const int MaxImport = 10_000;

    public override Task<Invoice> CreateInvoice(CreateInvoiceRequest request, ServerCallContext context) =>
        Task.FromResult(domain.CreateInvoice(request, ApiProtocol.Grpc).Unwrap());

    public override Task<Invoice> GetInvoice(GetInvoiceRequest request, ServerCallContext context) =>
        Task.FromResult(domain.GetInvoice(request.Id, ApiProtocol.Grpc).Unwrap());

    public override Task<Invoice> PayInvoice(PayInvoiceRequest request, ServerCallContext context) =>
        Task.FromResult(domain.PayInvoice(request, ApiProtocol.Grpc).Unwrap());

    public override Task<Invoice> CancelInvoice(CancelInvoiceRequest request, ServerCallContext context) =>
        Task.FromResult(domain.CancelInvoice(request, ApiProtocol.Grpc).Unwrap());

    public override async Task<ImportInvoicesResponse> ImportInvoices(IAsyncStreamReader<CreateInvoiceRequest> requestStream, ServerCallContext context)
    {
        var requests = new List<CreateInvoiceRequest>();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            if (requests.Count == MaxImport)
            {
                throw new RpcException(new Status(StatusCode.ResourceExhausted, $"an import holds at most {MaxImport} invoices"));
            }

            requests.Add(request);
        }

        return domain.ImportInvoices(requests, ApiProtocol.Grpc).Unwrap();
    }
}
